using Theodore.Core.Domain;

namespace Theodore.Core.Ports;

/// <summary>A backend that can check its own stored state (Theodore's engine); remote backends do not offer it.</summary>
public interface IIntegrityCheckedStorage
{
    /// <summary>Checks ids, vectors, metadata and graph invariants of every namespace of the index without blocking searches.</summary>
    ValueTask<IntegrityReport> CheckIntegrityAsync(IndexName index, CancellationToken cancellationToken = default);
}
