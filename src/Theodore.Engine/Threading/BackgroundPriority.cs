using System.Runtime.InteropServices;

namespace Theodore.Engine.Threading;

/// <summary>
/// Runs background graph work (the linker and its helper) below the priority of writers, the log's sync and
/// searches, in the spirit of RocksDB's lower-priority compaction threads. On a machine whose cores the linker keeps
/// busy, a write's hand-offs (to the log's thread, back from fdatasync) otherwise each wait for a scheduler tick.
/// </summary>
internal static partial class BackgroundPriority
{
    // nice 10: the kernel's scheduler weight drops from 1024 to 110, so a runnable normal thread nearly always wins.
    private const int Nice = 10;
    private const int PrioProcess = 0;

    /// <summary>Lowers the calling thread's priority; best effort, nothing changes where the OS refuses.</summary>
    public static void LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("XNICE") != "0")
        {
            try
            {
                // On Linux a thread is a task with its own nice value: setpriority on its id touches only it.
                _ = SetPriority(PrioProcess, GetThreadId(), Nice);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // A libc without gettid (glibc < 2.30): the thread keeps the normal priority.
            }

            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "setpriority")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SetPriority(int which, int who, int priority);
}
