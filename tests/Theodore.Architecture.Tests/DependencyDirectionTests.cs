namespace Theodore.Architecture.Tests;

public sealed class DependencyDirectionTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyCollection<string>> Declared = DependencyGraph.FromProjectFiles(DependencyGraph.RepositoryRoot());
    private static readonly IReadOnlyDictionary<string, IReadOnlyCollection<string>> Compiled = DependencyGraph.FromAssemblies(AppContext.BaseDirectory);

    public static TheoryData<string> DeclaredProjects => new(Declared.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(DeclaredProjects))]
    public void Project_references_only_what_its_layer_allows(string project)
    {
        var violations = DependencyRules.Check(Declared.Where(kv => kv.Key == project).ToDictionary(StringComparer.Ordinal), DependencyRules.Theodore);

        Assert.Empty(violations);
    }

    [Fact]
    public void Compiled_assemblies_reference_only_what_their_layer_allows()
    {
        Assert.Empty(DependencyRules.Check(Compiled, DependencyRules.Theodore));
    }

    [Fact]
    public void Both_graphs_see_every_layer_so_the_checks_are_not_vacuous()
    {
        string[] layers = ["Theodore.Core", "Theodore.Application", "Theodore.Engine", "Theodore.Infrastructure", "Theodore.Adapters.Mock", "Theodore.Adapters.Native", "Theodore.Api", "Theodore.Conformance"];

        Assert.All(layers, layer => Assert.Contains(layer, Declared.Keys, StringComparer.Ordinal));
        Assert.All(layers, layer => Assert.Contains(layer, Compiled.Keys, StringComparer.Ordinal));
        Assert.Contains("Theodore.Core", Declared["Theodore.Adapters.Mock"], StringComparer.Ordinal);
    }
}
