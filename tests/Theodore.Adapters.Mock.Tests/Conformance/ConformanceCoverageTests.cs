using Theodore.Conformance;

namespace Theodore.Adapters.Mock.Tests.Conformance;

public sealed class ConformanceCoverageTests
{
    [Fact]
    public void Every_conformance_suite_has_a_mock_subclass() =>
        ConformanceSuites.AssertAllCovered(typeof(ConformanceCoverageTests).Assembly);

    [Fact]
    public void All_lists_every_suite_of_the_conformance_library()
    {
        Assert.Equal(
            ["BadInputConformance", "BatchConformance", "ConcurrencyConformance", "CursorListingConformance", "ExpiryConformance", "FilterConformance", "IndexLifecycleConformance", "IndexMaintenanceConformance", "NamespaceConformance", "RecordCrudConformance", "RecordOperationsConformance", "SearchSemanticsConformance", "SoftDeleteConformance"],
            ConformanceSuites.All.Select(t => t.Name),
            StringComparer.Ordinal);
    }

    [Fact]
    public void MissingIn_assembly_without_subclasses_names_every_suite()
    {
        var missing = ConformanceSuites.MissingIn(typeof(object).Assembly);

        Assert.Equal(ConformanceSuites.All, missing);
        Assert.ThrowsAny<Exception>(() => ConformanceSuites.AssertAllCovered(typeof(object).Assembly));
    }
}
