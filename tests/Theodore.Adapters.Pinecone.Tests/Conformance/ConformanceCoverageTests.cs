using Theodore.Conformance;

namespace Theodore.Adapters.Pinecone.Tests.Conformance;

public sealed class ConformanceCoverageTests
{
    [Fact]
    public void Every_conformance_suite_has_a_pinecone_subclass() =>
        ConformanceSuites.AssertAllCovered(typeof(ConformanceCoverageTests).Assembly);
}
