using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class NativeBatchTests : BatchConformance
{
    protected override IVectorStorage CreateStorage() => new NativeVectorStorage();
}
