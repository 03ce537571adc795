namespace Theodore.Architecture.Tests;

/// <summary>The dependency direction of ARCHITECTURE.md as data, and the checker that holds a graph against it.</summary>
public static class DependencyRules
{
    public const string Prefix = "Theodore.";

    /// <summary>Exact names win over families, so Native may use the engine while other adapters may not.</summary>
    public static IReadOnlyList<DependencyRule> Theodore { get; } =
    [
        new("Theodore.Core"),
        new("Theodore.Engine"),
        new("Theodore.Application", "Theodore.Core"),
        new("Theodore.Infrastructure", "Theodore.Core"),
        new("Theodore.Adapters.Native", "Theodore.Core", "Theodore.Engine"),
        new("Theodore.Adapters.*", "Theodore.Core"),
        new("Theodore.Cli"), // an HTTP client of the API only: no Core, Application or adapters
        new("Theodore.Api", "*"),
        new("Theodore.Conformance", "Theodore.Core"),
    ];

    public static DependencyRule? RuleFor(string project, IReadOnlyList<DependencyRule> rules) =>
        rules.FirstOrDefault(r => !r.Project.EndsWith(".*", StringComparison.Ordinal) && r.Matches(project))
        ?? rules.Where(r => r.Matches(project)).MaxBy(r => r.Project.Length);

    /// <summary>Every broken rule in <paramref name="graph"/> (project -> the projects or assemblies it references), in words.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyDictionary<string, IReadOnlyCollection<string>> graph, IReadOnlyList<DependencyRule> rules)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var violations = new List<string>();
        foreach (var (project, dependencies) in graph.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!project.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rule = RuleFor(project, rules);
            if (rule is null)
            {
                violations.Add($"{project} has no dependency rule; add one to {nameof(DependencyRules)}.{nameof(Theodore)}");
                continue;
            }

            foreach (var dependency in dependencies.Order(StringComparer.Ordinal))
            {
                if (dependency.StartsWith(Prefix, StringComparison.Ordinal) && !rule.Allows(dependency))
                {
                    violations.Add($"{project} -> {dependency} is not allowed (allowed: {(rule.Allowed.Length == 0 ? "nothing of Theodore" : string.Join(", ", rule.Allowed))})");
                }
            }
        }

        return violations;
    }
}
