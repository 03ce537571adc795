using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Theodore.Api.Contracts;
using Theodore.Api.Security;
using Theodore.Application.Operations;
using Theodore.Application.Vectors;

namespace Theodore.Api.Endpoints;

/// <summary><c>/v1/indexes/{index}/vectors</c>: upsert one or many, get, fetch, delete by id, ids, filter or all, list.</summary>
public static class VectorEndpoints
{
    private const string Tag = "Vectors";

    public static RouteGroupBuilder MapVectors(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);

        v1.MapPost("/indexes/{index}/vectors/upsert", UpsertManyAsync)
            .WithName("UpsertVectors").WithSummary("Insert or replace up to 1000 records; one bad record refuses the request").WithTags(Tag)
            .Accepts<UpsertVectorsRequest>("application/json")
            .Produces<UpsertResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        v1.MapPut("/indexes/{index}/vectors/{id}", UpsertOneAsync)
            .WithName("UpsertVector").WithSummary("Insert or replace one record by id").WithTags(Tag)
            .Accepts<PutVectorRequest>("application/json")
            .Produces<UpsertResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapGet("/indexes/{index}/vectors/{id}", GetAsync)
            .WithName("GetVector").WithSummary("Get one record by id").WithTags(Tag)
            .Produces<VectorResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapDelete("/indexes/{index}/vectors/{id}", DeleteOneAsync)
            .WithName("DeleteVector").WithSummary("Delete one record by id; with ?soft=true hide it until restored or compacted").WithTags(Tag)
            .Produces(StatusCodes.Status204NoContent)
            .Produces<RecordOperationResponse>()
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapPost("/indexes/{index}/vectors/fetch", FetchAsync)
            .WithName("FetchVectors").WithSummary("Fetch up to 1000 records by id").WithTags(Tag)
            .AllowReadOnlyKey()
            .Accepts<FetchVectorsRequest>("application/json")
            .Produces<FetchVectorsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapPost("/indexes/{index}/vectors/delete", DeleteManyAsync)
            .WithName("DeleteVectors").WithSummary("Delete by ids, by filter, or everything in a namespace").WithTags(Tag)
            .Accepts<DeleteVectorsRequest>("application/json")
            .Produces<DeleteResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapGet("/indexes/{index}/vectors", ListAsync)
            .WithName("ListVectors").WithSummary("List records in id order, one page at a time").WithTags(Tag)
            .Produces<ListVectorsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return v1;
    }

    private static async Task<Ok<UpsertResponse>> UpsertManyAsync(string index, UpsertVectorsRequest body, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body.ToUseCase(index), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new UpsertResponse(result.UpsertedCount));
    }

    private static async Task<Ok<UpsertResponse>> UpsertOneAsync(string index, string id, PutVectorRequest body, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body.ToUseCase(index, id), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new UpsertResponse(result.UpsertedCount));
    }

    private static async Task<Ok<VectorResponse>> GetAsync(
        string index, string id, [FromQuery(Name = "namespace")] string? ns, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(VectorResponse.From(await mediator.Send(new GetVector(index, id, ns), cancellationToken).ConfigureAwait(false)));

    private static async Task<Results<NoContent, Ok<RecordOperationResponse>>> DeleteOneAsync(
        string index, string id, [FromQuery(Name = "namespace")] string? ns, bool? soft, IMediator mediator, CancellationToken cancellationToken)
    {
        if (soft == true)
        {
            return TypedResults.Ok(RecordOperationResponse.From(await mediator.Send(new SoftDeleteVector(index, id, ns), cancellationToken).ConfigureAwait(false)));
        }

        await mediator.Send(new DeleteVector(index, id, ns), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<FetchVectorsResponse>> FetchAsync(string index, FetchVectorsRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(FetchVectorsResponse.From(await mediator.Send(body.ToUseCase(index), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<DeleteResponse>> DeleteManyAsync(string index, DeleteVectorsRequest body, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body.ToUseCase(index), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DeleteResponse(result.DeletedCount));
    }

    private static async Task<Ok<ListVectorsResponse>> ListAsync(
        string index,
        [FromQuery(Name = "namespace")] string? ns,
        int? limit,
        string? cursor,
        bool? includeValues,
        bool? includeMetadata,
        bool? includeDeleted,
        IMediator mediator,
        CancellationToken cancellationToken)
    {
        var request = new ListVectors(index, ns, limit, cursor, includeValues ?? false, includeMetadata ?? true, includeDeleted ?? false);
        var page = await mediator.Send(request, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ListVectorsResponse.From(page, request.IncludeValues, request.IncludeMetadata));
    }
}
