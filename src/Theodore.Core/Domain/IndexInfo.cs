namespace Theodore.Core.Domain;

/// <summary>What an index is and how big it is now.</summary>
public sealed record IndexInfo(IndexDefinition Definition, long VectorCount, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    public IndexName Name => Definition.Name;
}
