using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class NativeConcurrencyTests : ConcurrencyConformance
{
    protected override IVectorStorage CreateStorage() => new NativeVectorStorage();
}
