using System.Reflection;
using Xunit;

namespace Theodore.Conformance;

/// <summary>The catalogue of suites, so an adapter's test project can prove it subclassed every one of them.</summary>
public static class ConformanceSuites
{
    /// <summary>Every abstract suite in this assembly, by name.</summary>
    public static IReadOnlyList<Type> All { get; } = typeof(ConformanceSuite).Assembly.GetExportedTypes()
        .Where(t => t.IsAbstract && t.IsSubclassOf(typeof(ConformanceSuite)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The suites that no concrete class in <paramref name="testAssembly"/> derives from.</summary>
    public static IReadOnlyList<Type> MissingIn(Assembly testAssembly)
    {
        ArgumentNullException.ThrowIfNull(testAssembly);
        var concrete = testAssembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract).ToArray();
        return All.Where(suite => !concrete.Any(t => t.IsSubclassOf(suite))).ToArray();
    }

    /// <summary>Fails naming each suite that <paramref name="testAssembly"/> forgot to subclass.</summary>
    public static void AssertAllCovered(Assembly testAssembly)
    {
        var missing = MissingIn(testAssembly);
        Assert.True(missing.Count == 0, $"{testAssembly?.GetName().Name} has no concrete subclass of: {string.Join(", ", missing.Select(t => t.Name))}");
    }
}
