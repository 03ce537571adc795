using Theodore.Conformance;
using Theodore.Core.Ports;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests.Conformance;

public sealed class QdrantIndexMaintenanceTests : IndexMaintenanceConformance
{
    private QdrantFake? _fake;

    public override async Task InitializeAsync()
    {
        _fake = await SharedQdrantFake.GetAsync();
        await base.InitializeAsync();
    }

    protected override IVectorStorage CreateStorage() => SharedQdrantFake.Storage(_fake!);
}
