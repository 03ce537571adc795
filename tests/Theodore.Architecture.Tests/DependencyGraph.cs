using System.Reflection;
using System.Xml.Linq;

namespace Theodore.Architecture.Tests;

/// <summary>Theodore's dependency graph, read two ways: the declared project references and the compiled assembly references.</summary>
public static class DependencyGraph
{
    /// <summary>The folder holding Theodore.sln, found upwards from the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Theodore.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Theodore.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Every production project under src/ plus the conformance library, with its ProjectReferences by name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> FromProjectFiles(string root)
    {
        var projects = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Append(Path.Combine(root, "tests", "Theodore.Conformance", "Theodore.Conformance.csproj"));
        var graph = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (var path in projects)
        {
            var references = XDocument.Load(path).Descendants("ProjectReference")
                .Select(r => (string?)r.Attribute("Include"))
                .OfType<string>()
                .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
                .ToArray();
            graph.Add(Path.GetFileNameWithoutExtension(path), references);
        }

        return graph;
    }

    /// <summary>Every Theodore assembly in <paramref name="directory"/> except the test assemblies, with the assemblies it references.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> FromAssemblies(string directory)
    {
        var graph = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(directory, DependencyRules.Prefix + "*.dll"))
        {
            var name = AssemblyName.GetAssemblyName(path);
            if (name.Name is null || name.Name.EndsWith(".Tests", StringComparison.Ordinal))
            {
                continue;
            }

            var references = Assembly.Load(name).GetReferencedAssemblies().Select(r => r.Name).OfType<string>().ToArray();
            graph.Add(name.Name, references);
        }

        return graph;
    }
}
