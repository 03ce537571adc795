namespace Theodore.Adapters.Pinecone;

/// <summary>Pinecone's request limits (spec 2026-04 and the docs' "Operation limits") the adapter cuts its requests to.</summary>
internal static class PineconeLimits
{
    /// <summary>Vectors in one upsert request (spec: <c>UpsertRequest.vectors maxLength 1000</c>).</summary>
    public const int MaxVectorsPerUpsert = 1000;

    /// <summary>Bytes of one upsert request body: 2 MB, read as 2,000,000 so either reading of "MB" holds.</summary>
    public const int MaxUpsertBytes = 2_000_000;

    /// <summary>Ids in one fetch or delete request.</summary>
    public const int MaxIdsPerRequest = 1000;

    /// <summary>
    /// Characters of the <c>ids=</c> query string of one fetch, so that the request line stays below the 8 KB most servers
    /// accept; one id always goes alone however long it is escaped.
    /// </summary>
    public const int MaxFetchQueryLength = 6000;

    /// <summary>Ids one list request returns at most (Pinecone documents 1-100).</summary>
    public const int MaxListPage = 100;

    /// <summary>Pinecone's own name of the default namespace since API version 2025-04.</summary>
    public const string DefaultNamespaceAlias = "__default__";
}
