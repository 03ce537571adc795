namespace Theodore.Architecture.Tests;

/// <summary>
/// What one project (or a family, <c>Theodore.Adapters.*</c>) may reference among Theodore's projects.
/// An allowed entry of <c>*</c> allows every Theodore project.
/// </summary>
public sealed record DependencyRule(string Project, params string[] Allowed)
{
    public bool Matches(string project) =>
        Project.EndsWith(".*", StringComparison.Ordinal)
            ? project.StartsWith(Project[..^1], StringComparison.Ordinal)
            : string.Equals(project, Project, StringComparison.Ordinal);

    public bool Allows(string dependency) =>
        Allowed.Any(a => a == "*" || string.Equals(a, dependency, StringComparison.Ordinal));
}
