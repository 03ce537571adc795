using Theodore.Conformance;

namespace Theodore.Adapters.Native.Tests.Conformance;

public sealed class ConformanceCoverageTests
{
    [Fact]
    public void Every_conformance_suite_has_a_native_subclass() =>
        ConformanceSuites.AssertAllCovered(typeof(ConformanceCoverageTests).Assembly);
}
