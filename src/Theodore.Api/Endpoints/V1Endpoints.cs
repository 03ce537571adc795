namespace Theodore.Api.Endpoints;

public static class V1Endpoints
{
    /// <summary>Maps the resources under <c>/v1</c>: indexes, their vectors, record operations and upkeep, queries, and backups.</summary>
    public static RouteGroupBuilder MapTheodoreV1(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapIndexes();
        v1.MapVectors();
        v1.MapOperations();
        v1.MapQuery();
        v1.MapBackups();
        v1.MapCompanies();
        return v1;
    }
}
