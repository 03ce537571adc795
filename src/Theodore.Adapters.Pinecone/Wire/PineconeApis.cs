using Refit;

namespace Theodore.Adapters.Pinecone.Wire;

/// <summary>The control plane operations the adapter calls (<c>https://api.pinecone.io</c>, 2026-04).</summary>
[Headers("Accept: application/json")]
internal interface IPineconeControlPlane
{
    [Post("/indexes")]
    Task<IndexModel> CreateIndexAsync([Body] CreateIndexRequest request, CancellationToken cancellationToken);

    [Get("/indexes/{indexName}")]
    Task<IndexModel> DescribeIndexAsync(string indexName, CancellationToken cancellationToken);

    [Get("/indexes")]
    Task<IndexList> ListIndexesAsync(CancellationToken cancellationToken);

    [Delete("/indexes/{indexName}")]
    Task DeleteIndexAsync(string indexName, CancellationToken cancellationToken);
}

/// <summary>The data plane operations the adapter calls on an index host (2026-04).</summary>
[Headers("Accept: application/json")]
internal interface IPineconeDataPlane
{
    [Post("/vectors/upsert")]
    Task<UpsertResponse> UpsertAsync([Body] UpsertRequest request, CancellationToken cancellationToken);

    [Post("/query")]
    Task<QueryResponse> QueryAsync([Body] QueryRequest request, CancellationToken cancellationToken);

    [Get("/vectors/fetch")]
    Task<FetchResponse> FetchAsync([Query(CollectionFormat.Multi)] IEnumerable<string> ids, [AliasAs("namespace")] string? ns, CancellationToken cancellationToken);

    [Post("/vectors/delete")]
    Task<EmptyResponse> DeleteAsync([Body] DeleteRequest request, CancellationToken cancellationToken);

    [Post("/vectors/update")]
    Task<UpdateResponse> UpdateAsync([Body] UpdateRequest request, CancellationToken cancellationToken);

    [Get("/vectors/list")]
    Task<ListResponse> ListAsync(int? limit, string? paginationToken, [AliasAs("namespace")] string? ns, CancellationToken cancellationToken);

    [Post("/describe_index_stats")]
    Task<IndexDescription> DescribeIndexStatsAsync([Body] DescribeIndexStatsRequest request, CancellationToken cancellationToken);
}
