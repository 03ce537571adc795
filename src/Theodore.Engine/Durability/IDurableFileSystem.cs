namespace Theodore.Engine.Durability;

/// <summary>
/// Exactly the file-system operations the durability layer needs, so that a simulated file system can stand in for
/// the disk in power-loss tests. Creating, renaming and deleting a file change its directory, and those changes are
/// durable only after <see cref="SyncDirectory"/> on that directory.
/// </summary>
public interface IDurableFileSystem
{
    IDurableFile OpenFile(string path, DurableFileMode mode);

    bool FileExists(string path);

    /// <summary>Creates the directory (and its parents) if needed and makes its existence durable.</summary>
    void CreateDirectory(string path);

    /// <summary>Names (not paths) of the regular files directly in <paramref name="directory"/>, in ordinal order.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    /// <summary>Renames within one directory, atomically replacing any file at <paramref name="destinationPath"/>.</summary>
    void Rename(string sourcePath, string destinationPath);

    /// <summary>Deletes the file if it exists.</summary>
    void DeleteFile(string path);

    /// <summary>Names (not paths) of the directories directly in <paramref name="directory"/>, in ordinal order; none when it does not exist.</summary>
    IReadOnlyList<string> ListDirectories(string directory);

    /// <summary>Renames a directory within its parent; durable after <see cref="SyncDirectory"/> on the parent.</summary>
    void RenameDirectory(string sourcePath, string destinationPath);

    /// <summary>Deletes the directory and everything in it, if it exists.</summary>
    void DeleteDirectory(string path);

    /// <summary>Makes the creations, renames and deletions in <paramref name="directory"/> durable (fsync of the directory).</summary>
    void SyncDirectory(string directory);

    /// <summary>
    /// Takes the exclusive lock of a data directory for as long as the result is not disposed; throws
    /// <see cref="DataDirectoryLockedException"/> when another holder has it.
    /// </summary>
    IDisposable LockDirectory(string directory);
}
