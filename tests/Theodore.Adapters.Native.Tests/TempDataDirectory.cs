using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Tests;

/// <summary>A fresh directory under the temp folder for one durable storage, removed by <see cref="Delete"/>.</summary>
public sealed class TempDataDirectory
{
    public TempDataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "theodore-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public NativeOptions Options(DurabilityMode mode = DurabilityMode.Sync, long snapshotWalBytes = 64L * 1024 * 1024) =>
        new() { DataPath = Path, Durability = mode, SnapshotWalBytes = snapshotWalBytes };

    /// <summary>A storage on this directory, not yet opened (the conformance suites open it as the host does).</summary>
    public NativeVectorStorage Create(DurabilityMode mode = DurabilityMode.Sync) => new(Options(mode));

    /// <summary>A storage on this directory with its data recovered.</summary>
    public async Task<NativeVectorStorage> OpenAsync(DurabilityMode mode = DurabilityMode.Sync) =>
        await NativeVectorStorage.OpenAsync(Options(mode));

    public void Delete()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp folder is cleaned by the OS eventually.
        }
    }
}
