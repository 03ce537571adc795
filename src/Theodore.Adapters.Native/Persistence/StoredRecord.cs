using Theodore.Core.Domain;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>A record as the log and the snapshot hold it: the id, the vector as stored (for cosine, normalized) and metadata.</summary>
internal sealed record StoredRecord(string Id, ReadOnlyMemory<float> Values, Metadata Metadata);
