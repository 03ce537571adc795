using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class NativeSoftDeleteTests : SoftDeleteConformance
{
    protected override IVectorStorage CreateStorage() => new NativeVectorStorage();
}
