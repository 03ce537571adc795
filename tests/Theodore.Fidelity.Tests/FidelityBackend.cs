using Theodore.Core.Ports;

namespace Theodore.Fidelity.Tests;

/// <summary>A backend under comparison: how to make a fresh storage of it, and how to release it.</summary>
public sealed class FidelityBackend(string name, Func<Task<IVectorStorage>> create, Func<IVectorStorage, ValueTask>? release = null)
{
    public string Name { get; } = name;

    public Task<IVectorStorage> CreateAsync() => create();

    public ValueTask ReleaseAsync(IVectorStorage storage) =>
        release is not null ? release(storage) : storage is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    public override string ToString() => Name;
}
