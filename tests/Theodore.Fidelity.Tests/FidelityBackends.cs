using Theodore.Adapters.Mock;
using Theodore.Adapters.Native;
using Theodore.Core.Ports;

namespace Theodore.Fidelity.Tests;

/// <summary>Every backend compared with the exact Mock, the reference.</summary>
public static class FidelityBackends
{
    public static FidelityBackend Reference { get; } = new("Mock", () => Task.FromResult<IVectorStorage>(new MockVectorStorage()));

    public static IReadOnlyList<FidelityBackend> Compared { get; } =
    [
        new("Native", () => Task.FromResult<IVectorStorage>(new NativeVectorStorage())),
    ];

    public static FidelityBackend Get(string name) =>
        Compared.Single(b => string.Equals(b.Name, name, StringComparison.Ordinal));
}
