namespace Theodore.Engine.Durability;

/// <summary>Small files replaced all at once: written to <c>.tmp</c>, flushed, renamed over the old file, directory synced.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(IDurableFileSystem fileSystem, string path, ReadOnlySpan<byte> contents)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var temporary = path + DataDirectoryCleanup.TemporarySuffix;
        using (var file = fileSystem.OpenFile(temporary, DurableFileMode.Create))
        {
            file.Write(0, contents);
            file.Flush();
        }

        fileSystem.Rename(temporary, path);
        fileSystem.SyncDirectory(Path.GetDirectoryName(path) ?? ".");
    }

    /// <summary>Reads a whole small file, or returns null when it does not exist; a file over <paramref name="maxLength"/> is corrupt.</summary>
    public static byte[]? ReadAllBytes(IDurableFileSystem fileSystem, string path, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        if (!fileSystem.FileExists(path))
        {
            return null;
        }

        using var file = fileSystem.OpenFile(path, DurableFileMode.OpenRead);
        var length = file.Length;
        if (length > maxLength)
        {
            throw new CorruptDataException(path, 0, $"the file is {length} bytes long, more than the {maxLength} it can be");
        }

        var contents = new byte[length];
        if (file.Read(0, contents) != contents.Length)
        {
            throw new CorruptDataException(path, 0, "the file changed length while it was read");
        }

        return contents;
    }
}
