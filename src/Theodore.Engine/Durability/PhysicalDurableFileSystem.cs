using Microsoft.Win32.SafeHandles;

namespace Theodore.Engine.Durability;

/// <summary>The real disk: positional I/O on <see cref="SafeFileHandle"/> and <see cref="RandomAccess.FlushToDisk"/>.</summary>
public sealed class PhysicalDurableFileSystem : IDurableFileSystem
{
    public static PhysicalDurableFileSystem Instance { get; } = new();

    public IDurableFile OpenFile(string path, DurableFileMode mode)
    {
        var (fileMode, access) = mode switch
        {
            DurableFileMode.OpenRead => (FileMode.Open, FileAccess.Read),
            DurableFileMode.Open => (FileMode.Open, FileAccess.ReadWrite),
            DurableFileMode.Create => (FileMode.Create, FileAccess.ReadWrite),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown file mode."),
        };
        var handle = File.OpenHandle(path, fileMode, access, FileShare.ReadWrite | FileShare.Delete);
        return new PhysicalDurableFile(path, handle);
    }

    public bool FileExists(string path) => File.Exists(path);

    public void CreateDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return;
        }

        var parent = Path.GetDirectoryName(full);
        if (parent is not null)
        {
            CreateDirectory(parent);
        }

        Directory.CreateDirectory(full);
        if (parent is not null)
        {
            SyncDirectory(parent);
        }
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            names.Add(Path.GetFileName(path));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public IReadOnlyList<string> ListDirectories(string directory)
    {
        var names = new List<string>();
        if (!Directory.Exists(directory))
        {
            return names;
        }

        foreach (var path in Directory.EnumerateDirectories(directory))
        {
            names.Add(Path.GetFileName(path));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public void RenameDirectory(string sourcePath, string destinationPath) => Directory.Move(sourcePath, destinationPath);

    public void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    public void Rename(string sourcePath, string destinationPath) => File.Move(sourcePath, destinationPath, overwrite: true);

    public void DeleteFile(string path) => File.Delete(path);

    public void SyncDirectory(string directory)
    {
        // Windows cannot open a directory as a file to flush it, and NTFS commits renames and deletions through its
        // own metadata journal; the file data itself is flushed with FlushFileBuffers before any rename.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        NativeMethods.SyncDirectory(directory);
    }

    public IDisposable LockDirectory(string directory) => DataDirectoryLock.Acquire(directory);
}
