using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class NativeIndexMaintenanceTests : IndexMaintenanceConformance
{
    protected override IVectorStorage CreateStorage() => new NativeVectorStorage();
}
