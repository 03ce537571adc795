namespace Theodore.Architecture.Tests;

public sealed class DependencyRulesTests
{
    private static readonly Dictionary<string, IReadOnlyCollection<string>> Clean = new(StringComparer.Ordinal)
    {
        ["Theodore.Core"] = ["System.Runtime"],
        ["Theodore.Engine"] = ["System.Numerics.Tensors"],
        ["Theodore.Application"] = ["Theodore.Core", "MediatR"],
        ["Theodore.Infrastructure"] = ["Theodore.Core"],
        ["Theodore.Adapters.Native"] = ["Theodore.Core", "Theodore.Engine"],
        ["Theodore.Adapters.Qdrant"] = ["Theodore.Core"],
        ["Theodore.Api"] = ["Theodore.Core", "Theodore.Application", "Theodore.Infrastructure", "Theodore.Adapters.Native", "Theodore.Adapters.Qdrant"],
        ["xunit.core"] = ["Theodore.Core"],
    };

    [Fact]
    public void Check_graph_following_the_architecture_has_no_violations()
    {
        Assert.Empty(DependencyRules.Check(Clean, DependencyRules.Theodore));
    }

    [Theory]
    [InlineData("Theodore.Core", "Theodore.Application")]
    [InlineData("Theodore.Engine", "Theodore.Core")]
    [InlineData("Theodore.Application", "Theodore.Infrastructure")]
    [InlineData("Theodore.Application", "Theodore.Adapters.Native")]
    [InlineData("Theodore.Infrastructure", "Theodore.Adapters.Qdrant")]
    [InlineData("Theodore.Adapters.Qdrant", "Theodore.Adapters.Pinecone")]
    [InlineData("Theodore.Adapters.Native", "Theodore.Adapters.Mock")]
    [InlineData("Theodore.Adapters.Qdrant", "Theodore.Engine")]
    [InlineData("Theodore.Conformance", "Theodore.Adapters.Mock")]
    public void Check_reference_against_the_direction_is_reported(string from, string to)
    {
        var graph = new Dictionary<string, IReadOnlyCollection<string>>(Clean, StringComparer.Ordinal)
        {
            [from] = [.. Clean.GetValueOrDefault(from, []), to],
        };

        var violation = Assert.Single(DependencyRules.Check(graph, DependencyRules.Theodore));

        Assert.StartsWith($"{from} -> {to} ", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_project_without_a_rule_is_reported()
    {
        var graph = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal) { ["Theodore.Gadgets"] = [] };

        var violation = Assert.Single(DependencyRules.Check(graph, DependencyRules.Theodore));

        Assert.Contains("Theodore.Gadgets has no dependency rule", violation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Theodore.Adapters.Native", "Theodore.Adapters.Native")]
    [InlineData("Theodore.Adapters.Pinecone", "Theodore.Adapters.*")]
    [InlineData("Theodore.Adapters.Embeddings", "Theodore.Adapters.*")]
    [InlineData("Theodore.Core", "Theodore.Core")]
    public void RuleFor_exact_name_wins_over_the_family(string project, string expectedRule)
    {
        Assert.Equal(expectedRule, DependencyRules.RuleFor(project, DependencyRules.Theodore)?.Project);
    }
}
