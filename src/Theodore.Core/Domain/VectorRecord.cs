namespace Theodore.Core.Domain;

/// <summary>A stored record: id, vector and metadata. The namespace travels beside it in each call.</summary>
public sealed record VectorRecord(VectorId Id, ReadOnlyMemory<float> Values, Metadata Metadata)
{
    public VectorRecord(VectorId id, ReadOnlyMemory<float> values)
        : this(id, values, Metadata.Empty)
    {
    }
}
