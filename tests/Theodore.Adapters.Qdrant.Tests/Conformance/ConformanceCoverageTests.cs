using Theodore.Conformance;

namespace Theodore.Adapters.Qdrant.Tests.Conformance;

public sealed class ConformanceCoverageTests
{
    [Fact]
    public void Every_conformance_suite_has_a_qdrant_subclass() =>
        ConformanceSuites.AssertAllCovered(typeof(ConformanceCoverageTests).Assembly);
}
