using System.Runtime.InteropServices;
using System.Text;

namespace Theodore.Engine.Durability;

/// <summary>POSIX calls .NET does not expose: fsync of a directory and flock.</summary>
internal static class NativeMethods
{
    private const int ORdOnly = 0;
    private const int OCloExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    public static void SyncDirectory(string directory)
    {
        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var fd = Open(path, ORdOnly | DirectoryFlag() | OCloExec);
        if (fd < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Returns false when another open file description holds the lock.</summary>
    public static bool TryLockExclusive(int fd) => Flock(fd, LockExclusive | LockNonBlocking) == 0;

    // O_DIRECTORY differs between Linux architectures; elsewhere a plain read-only open of a directory works too.
    private static int DirectoryFlag()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        return RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
    }

    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} of {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }

    // DllImport rather than LibraryImport: the generated marshalling stubs would need unsafe code for a byte[] path.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Flock(int fd, int operation);
}
