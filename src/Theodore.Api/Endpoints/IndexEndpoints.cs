using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Theodore.Api.Contracts;
using Theodore.Application.Indexes;
using Theodore.Core.Ports;

namespace Theodore.Api.Endpoints;

/// <summary><c>/v1/indexes</c>: create, list, describe, delete, stats.</summary>
public static class IndexEndpoints
{
    private const string Tag = "Indexes";

    public static RouteGroupBuilder MapIndexes(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);

        v1.MapPost("/indexes", CreateAsync)
            .WithName("CreateIndex").WithSummary("Create an index").WithTags(Tag)
            .Accepts<CreateIndexRequest>("application/json")
            .Produces<IndexInfoResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        v1.MapGet("/indexes", ListAsync)
            .WithName("ListIndexes").WithSummary("List every index, ordered by name").WithTags(Tag)
            .Produces<IndexListResponse>();

        v1.MapGet("/indexes/{index}", DescribeAsync)
            .WithName("DescribeIndex").WithSummary("Describe an index").WithTags(Tag)
            .Produces<IndexInfoResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapDelete("/indexes/{index}", DeleteAsync)
            .WithName("DeleteIndex").WithSummary("Delete an index and all its records").WithTags(Tag)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapGet("/indexes/{index}/stats", StatsAsync)
            .WithName("GetIndexStats").WithSummary("Vector counts per namespace, memory and metadata fields of an index").WithTags(Tag)
            .Produces<IndexStatsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapGet("/indexes/{index}/integrity", IntegrityAsync)
            .WithName("CheckIndexIntegrity").WithSummary("Check ids, vectors, metadata and graph invariants of an index (native engine only)").WithTags(Tag)
            .Produces<IntegrityResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        return v1;
    }

    private static async Task<Created<IndexInfoResponse>> CreateAsync(CreateIndexRequest body, IMediator mediator, CancellationToken cancellationToken)
    {
        var info = await mediator.Send(body.ToUseCase(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/v1/indexes/{info.Name.Value}", IndexInfoResponse.From(info));
    }

    private static async Task<Ok<IndexListResponse>> ListAsync(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(IndexListResponse.From(await mediator.Send(new ListIndexes(), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<IndexInfoResponse>> DescribeAsync(string index, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(IndexInfoResponse.From(await mediator.Send(new DescribeIndex(index), cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> DeleteAsync(string index, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteIndex(index), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IndexStatsResponse>> StatsAsync(string index, IMediator mediator, IVectorStorage storage, CancellationToken cancellationToken) =>
        TypedResults.Ok(IndexStatsResponse.From(await mediator.Send(new GetIndexStats(index), cancellationToken).ConfigureAwait(false)).WithDecorators(storage));

    private static async Task<Ok<IntegrityResponse>> IntegrityAsync(string index, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(IntegrityResponse.From(await mediator.Send(new CheckIndexIntegrity(index), cancellationToken).ConfigureAwait(false)));
}
