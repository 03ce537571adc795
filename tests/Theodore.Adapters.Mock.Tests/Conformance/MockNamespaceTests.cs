using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Mock.Tests.Conformance;

public sealed class MockNamespaceTests : NamespaceConformance
{
    protected override IVectorStorage CreateStorage() => new MockVectorStorage();
}
