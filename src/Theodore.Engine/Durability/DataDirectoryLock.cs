namespace Theodore.Engine.Durability;

/// <summary>
/// The <c>LOCK</c> file of a data directory, opened with <see cref="FileShare.None"/> and, on Unix, also held with an
/// explicit <c>flock</c> so the lock does not depend on .NET's own advisory locking being enabled.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "LOCK";

    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    public static DataDirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw DataDirectoryLockedException.For(directory, ex);
        }

        if (!OperatingSystem.IsWindows())
        {
            var added = false;
            try
            {
                stream.SafeFileHandle.DangerousAddRef(ref added);
                if (!NativeMethods.TryLockExclusive((int)stream.SafeFileHandle.DangerousGetHandle()))
                {
                    stream.Dispose();
                    throw DataDirectoryLockedException.For(directory);
                }
            }
            finally
            {
                if (added)
                {
                    stream.SafeFileHandle.DangerousRelease();
                }
            }
        }

        return new DataDirectoryLock(stream);
    }

    // The LOCK file stays on disk: deleting it would let a third process lock a new inode while a second still holds the old one.
    public void Dispose() => _stream.Dispose();
}
