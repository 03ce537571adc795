using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance.Durable;

public sealed class DurableNativeConcurrencyTests : ConcurrencyConformance
{
    private readonly TempDataDirectory _directory = new();

    protected override IVectorStorage CreateStorage() => _directory.Create();

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage)
    {
        await ((NativeVectorStorage)storage).DisposeAsync();
        _directory.Delete();
    }
}
