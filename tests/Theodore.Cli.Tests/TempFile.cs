namespace Theodore.Cli.Tests;

/// <summary>A file in a fresh temporary folder, deleted with it.</summary>
public sealed class TempFile : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("theodore-cli-").FullName;

    public TempFile(string name, string content)
    {
        Path = System.IO.Path.Combine(_folder, name);
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
