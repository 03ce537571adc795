using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Mock.Tests.Conformance;

public sealed class MockBadInputTests : BadInputConformance
{
    protected override IVectorStorage CreateStorage() => new MockVectorStorage();
}
