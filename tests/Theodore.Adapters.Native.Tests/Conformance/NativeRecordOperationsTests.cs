using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class NativeRecordOperationsTests : RecordOperationsConformance
{
    protected override IVectorStorage CreateStorage() => new NativeVectorStorage();
}
