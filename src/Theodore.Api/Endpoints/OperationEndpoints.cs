using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Theodore.Api.Contracts;
using Theodore.Api.Security;
using Theodore.Application.Maintenance;
using Theodore.Application.Operations;

namespace Theodore.Api.Endpoints;

/// <summary>
/// Record operations and index upkeep: mixed batches, restore and expiry of one record, compaction and online rebuilds.
/// A backend without the port or the capability answers 501 <c>unsupported_operation</c>.
/// </summary>
public static class OperationEndpoints
{
    private const string Tag = "Operations";

    public static RouteGroupBuilder MapOperations(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);

        v1.MapPost("/indexes/{index}/batch", BatchAsync)
            .WithName("ApplyBatch").WithSummary("Apply up to 1000 mixed record operations in order, each with its result; atomic: all or nothing").WithTags(Tag)
            .Accepts<BatchRequest>("application/json")
            .Produces<BatchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        v1.MapPost("/indexes/{index}/vectors/{id}/restore", RestoreAsync)
            .WithName("RestoreVector").WithSummary("Make a soft-deleted record visible again").WithTags(Tag)
            .Produces<RecordOperationResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        v1.MapPut("/indexes/{index}/vectors/{id}/ttl", SetExpiryAsync)
            .WithName("SetVectorExpiry").WithSummary("Set a record's expiry (expiresAt or ttlSeconds), or clear it with neither").WithTags(Tag)
            .Accepts<SetExpiryRequest>("application/json")
            .Produces<VectorExpiryResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        v1.MapPost("/indexes/{index}/compact", CompactAsync)
            .WithName("CompactIndex").WithSummary("Purge soft-deleted and expired records and reclaim dead graph slots now").WithTags(Tag)
            .RequireAdminKey()
            .Produces<CompactionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        v1.MapPost("/indexes/{index}/rebuild", StartRebuildAsync)
            .WithName("StartRebuild").WithSummary("Rebuild the index's graph in the background (optionally with new HNSW options) while it serves").WithTags(Tag)
            .RequireAdminKey()
            .Accepts<RebuildRequest>("application/json")
            .Produces<RebuildStatusResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        v1.MapGet("/indexes/{index}/rebuild", GetRebuildAsync)
            .WithName("GetRebuildStatus").WithSummary("The running or last online rebuild of the index and its progress").WithTags(Tag)
            .Produces<RebuildStatusResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        return v1;
    }

    private static async Task<Ok<BatchResponse>> BatchAsync(string index, BatchRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(BatchResponse.From(await mediator.Send(body.ToUseCase(index), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<RecordOperationResponse>> RestoreAsync(
        string index, string id, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "namespace")] string? ns, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(RecordOperationResponse.From(await mediator.Send(new RestoreVector(index, id, ns), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<VectorExpiryResponse>> SetExpiryAsync(string index, string id, SetExpiryRequest body, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new SetVectorExpiry(index, id, body.ExpiresAt, body.TtlSeconds, body.Namespace), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new VectorExpiryResponse(result.Id.Value, result.ExpiresAt, result.Applied));
    }

    private static async Task<Ok<CompactionResponse>> CompactAsync(string index, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(CompactionResponse.From(await mediator.Send(new CompactIndex(index), cancellationToken).ConfigureAwait(false)));

    private static async Task<Accepted<RebuildStatusResponse>> StartRebuildAsync(string index, RebuildRequest? body, IMediator mediator, CancellationToken cancellationToken)
    {
        var status = await mediator.Send(new StartRebuild(index, body?.Hnsw?.M, body?.Hnsw?.EfConstruction), cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted($"/v1/indexes/{index}/rebuild", RebuildStatusResponse.From(status));
    }

    private static async Task<Ok<RebuildStatusResponse>> GetRebuildAsync(string index, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(RebuildStatusResponse.From(await mediator.Send(new GetRebuildStatus(index), cancellationToken).ConfigureAwait(false)));
}
