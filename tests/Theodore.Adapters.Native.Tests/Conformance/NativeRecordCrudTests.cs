using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class NativeRecordCrudTests : RecordCrudConformance
{
    protected override IVectorStorage CreateStorage() => new NativeVectorStorage();
}
