using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Theodore.Api.Contracts;
using Theodore.Api.Security;
using Theodore.Application.Backups;

namespace Theodore.Api.Endpoints;

/// <summary><c>/v1/backups</c>: take, list, describe, delete, restore and prune backups (native engine only; admin keys only).</summary>
public static class BackupEndpoints
{
    private const string Tag = "Backups";

    public static RouteGroupBuilder MapBackups(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var backups = v1.MapGroup("/backups").WithTags(Tag).RequireAdminKey()
            .ProducesProblem(StatusCodes.Status501NotImplemented); // on backends without backups

        backups.MapPost("", CreateAsync)
            .WithName("CreateBackup").WithSummary("Back up the named indexes, or every index, each consistent at one log position")
            .Accepts<CreateBackupRequest>("application/json")
            .Produces<BackupResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);

        backups.MapGet("", ListAsync)
            .WithName("ListBackups").WithSummary("List every backup, oldest first, damaged ones with their problem")
            .Produces<BackupListResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        backups.MapGet("/{backup}", GetAsync)
            .WithName("GetBackup").WithSummary("Describe a backup")
            .Produces<BackupResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        backups.MapDelete("/{backup}", DeleteAsync)
            .WithName("DeleteBackup").WithSummary("Delete a backup")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        backups.MapPost("/{backup}/restore", RestoreAsync)
            .WithName("RestoreBackup").WithSummary("Restore one index of a backup, under its own or a new name; 201 when created, 200 when it replaced an index")
            .Accepts<RestoreBackupRequest>("application/json")
            .Produces<RestoreBackupResponse>(StatusCodes.Status201Created)
            .Produces<RestoreBackupResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        backups.MapPost("/prune", PruneAsync)
            .WithName("PruneBackups").WithSummary("Keep the newest backup of each of the last N days, ISO weeks and months; delete the other intact backups")
            .Accepts<PruneBackupsRequest>("application/json")
            .Produces<PruneBackupsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return v1;
    }

    private static async Task<Created<BackupResponse>> CreateAsync(
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CreateBackupRequest? body,
        IMediator mediator,
        CancellationToken cancellationToken)
    {
        var backup = await mediator.Send((body ?? new CreateBackupRequest()).ToUseCase(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/v1/backups/{backup.Id.Value}", BackupResponse.From(backup));
    }

    private static async Task<Ok<BackupListResponse>> ListAsync(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(BackupListResponse.From(await mediator.Send(new ListBackups(), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<BackupResponse>> GetAsync(string backup, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(BackupResponse.From(await mediator.Send(new GetBackup(backup), cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> DeleteAsync(string backup, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteBackup(backup), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<RestoreBackupResponse>, Ok<RestoreBackupResponse>>> RestoreAsync(
        string backup,
        RestoreBackupRequest body,
        IMediator mediator,
        CancellationToken cancellationToken)
    {
        var restored = RestoreBackupResponse.From(await mediator.Send(body.ToUseCase(backup), cancellationToken).ConfigureAwait(false));
        return restored.Replaced
            ? TypedResults.Ok(restored)
            : TypedResults.Created($"/v1/indexes/{restored.Index.Name}", restored);
    }

    private static async Task<Ok<PruneBackupsResponse>> PruneAsync(PruneBackupsRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(PruneBackupsResponse.From(await mediator.Send(body.ToUseCase(), cancellationToken).ConfigureAwait(false)));
}
