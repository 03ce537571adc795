namespace Theodore.Engine.Durability;

/// <summary>
/// Removes what an interrupted write leaves behind: <c>*.tmp</c> files (a snapshot, manifest or segment that was never
/// renamed into place) and <c>*.deleted</c> files (a segment whose unlink did not happen). Neither is ever read.
/// </summary>
public static class DataDirectoryCleanup
{
    public const string TemporarySuffix = ".tmp";
    public const string DeletedSuffix = ".deleted";

    /// <summary>Deletes the leftovers in each directory and returns their paths.</summary>
    public static IReadOnlyList<string> RemoveLeftovers(IDurableFileSystem fileSystem, params IReadOnlyList<string> directories)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(directories);
        var removed = new List<string>();
        foreach (var directory in directories)
        {
            var before = removed.Count;
            foreach (var name in fileSystem.ListFiles(directory))
            {
                if (name.EndsWith(TemporarySuffix, StringComparison.Ordinal) || name.EndsWith(DeletedSuffix, StringComparison.Ordinal))
                {
                    var path = Path.Combine(directory, name);
                    fileSystem.DeleteFile(path);
                    removed.Add(path);
                }
            }

            if (removed.Count > before)
            {
                fileSystem.SyncDirectory(directory);
            }
        }

        return removed;
    }
}
