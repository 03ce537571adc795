using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class NativeFilterTests : FilterConformance
{
    protected override IVectorStorage CreateStorage() => new NativeVectorStorage();
}
