using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class NativeExpiryTests : ExpiryConformance
{
    protected override IVectorStorage CreateStorage() => new NativeVectorStorage();
}
