using Theodore.Core.Domain;

namespace Theodore.Core.Ports;

/// <summary>
/// A backend that keeps its records within a memory budget (<see cref="StorageCapabilities.EnforcesMemoryBudget"/>).
/// Found through <see cref="IVectorStorage.GetService"/>, so decorators pass it through; stats and health show it.
/// </summary>
public interface IMemoryBudgetedStorage
{
    /// <summary>The storage's estimated memory use now and its budget. Cheap: no index is scanned.</summary>
    MemoryBudgetStatus GetMemoryBudget();
}
