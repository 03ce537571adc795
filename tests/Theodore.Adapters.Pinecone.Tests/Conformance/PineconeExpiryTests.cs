using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Pinecone.Tests.Conformance;

public sealed class PineconeExpiryTests : ExpiryConformance
{
    private readonly FakeBackedStorage _backend = new();

    protected override IVectorStorage CreateStorage() => _backend.Create();

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await _backend.ReleaseAsync();
}
