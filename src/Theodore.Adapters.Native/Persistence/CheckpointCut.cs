using Theodore.Core.Domain;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>A consistent copy of an index taken under its writer gate: every change up to <see cref="Lsn"/> and none after.</summary>
internal sealed record CheckpointCut(
    long Lsn,
    IndexDefinition Definition,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<KeyValuePair<Namespace, List<StoredRecord>>> Namespaces);
