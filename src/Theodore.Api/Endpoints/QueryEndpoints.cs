using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Theodore.Api.Contracts;
using Theodore.Api.Security;

namespace Theodore.Api.Endpoints;

/// <summary><c>/v1/indexes/{index}/query</c>: the most similar records to a vector or to a stored record.</summary>
public static class QueryEndpoints
{
    public static RouteGroupBuilder MapQuery(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);

        v1.MapPost("/indexes/{index}/query", QueryAsync)
            .WithName("Query").WithSummary("Find the most similar records to a vector or to a stored record").WithTags("Query")
            .AllowReadOnlyKey()
            .Accepts<QueryRequest>("application/json")
            .Produces<QueryResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        v1.MapPost("/indexes/{index}/query/estimate", EstimateAsync)
            .WithName("EstimateQuery").WithSummary("The plan and estimated cost of a query, without running it").WithTags("Query")
            .AllowReadOnlyKey()
            .Accepts<QueryRequest>("application/json")
            .Produces<QueryEstimateResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        return v1;
    }

    private static async Task<Ok<QueryEstimateResponse>> EstimateAsync(string index, QueryRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(QueryEstimateResponse.From(await mediator.Send(body.ToEstimate(index), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<QueryResponse>> QueryAsync(string index, QueryRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(QueryResponse.From(await mediator.Send(body.ToUseCase(index), cancellationToken).ConfigureAwait(false)));
}
