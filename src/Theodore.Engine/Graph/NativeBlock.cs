using System.Runtime.InteropServices;

namespace Theodore.Engine.Graph;

/// <summary>
/// A zeroed block of native memory for a chunk of slots, aligned to 2 MB and freed when the last reference to it
/// goes (a safe handle, so a crash-free release even from the finalizer). On Linux it is an anonymous mapping: pages
/// cost nothing until a slot is written, and <see cref="AdviseHugePages"/> asks for transparent huge pages, which a
/// walk over a large index needs: every visit lands on a random row, and with 4 KB pages nearly every one of them is
/// also a TLB miss. Elsewhere it is aligned native memory, cleared at allocation.
/// </summary>
internal sealed unsafe class NativeBlock : SafeHandle
{
    /// <summary>The size of an x86-64 or arm64 transparent huge page, and the alignment of every block.</summary>
    public const int HugePage = 2 << 20;

    private const int ProtReadWrite = 0x1 | 0x2;
    private const int MapPrivateAnonymous = 0x02 | 0x20;
    private const int MapShared = 0x01;
    private const int AdviceHugePage = 14;
    private const int AdviceDontNeed = 4;
    private const int AdviceRandom = 1;

    private readonly nuint _length;
    private readonly bool _mapped;

    private NativeBlock(nint address, nuint length, bool mapped)
        : base(0, ownsHandle: true)
    {
        SetHandle(address);
        _length = length;
        _mapped = mapped;
        GC.AddMemoryPressure((long)length);
    }

    /// <summary>The first byte: 2 MB aligned, or page aligned for a file-backed block.</summary>
    public byte* Pointer => (byte*)handle;

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Whether blocks ask the kernel for transparent huge pages once an index outgrows its first chunk (the default).
    /// Off through the AppContext switch <c>Theodore.Engine.DisableHugePages</c>, for hosts that turn huge pages off.
    /// </summary>
    public static bool HugePagesEnabled =>
        OperatingSystem.IsLinux() && !(AppContext.TryGetSwitch("Theodore.Engine.DisableHugePages", out bool disabled) && disabled);

    public static NativeBlock Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        nuint length = (nuint)((bytes + 4095) & ~4095L);

        // Map a huge page more than asked, then give back the unaligned head and the tail beyond the block. Should
        // the kernel refuse, aligned native memory fails the same way any allocation does (OutOfMemoryException).
        nuint reserved = length + HugePage;
        nint raw = OperatingSystem.IsLinux() ? Map(0, reserved, ProtReadWrite, MapPrivateAnonymous, -1, 0) : -1;
        if (raw == -1)
        {
            void* memory = NativeMemory.AlignedAlloc(length, HugePage);
            NativeMemory.Clear(memory, length);
            return new NativeBlock((nint)memory, length, mapped: false);
        }

        nint aligned = (raw + (HugePage - 1)) & ~(nint)(HugePage - 1);
        nuint head = (nuint)(aligned - raw);
        if (head > 0)
        {
            _ = Unmap(raw, head);
        }

        nuint tail = reserved - head - length;
        if (tail > 0)
        {
            _ = Unmap(aligned + (nint)length, tail);
        }

        return new NativeBlock(aligned, length, mapped: true);
    }

    /// <summary>
    /// A zeroed block backed by a file of its own in <paramref name="directory"/> (Linux): a shared mapping of a new
    /// sparse file that is unlinked at once, so nothing outlives the process, not even a crash. Its pages live in the
    /// page cache: <see cref="ReleasePages"/> takes them out of the process's resident set without losing a byte, and
    /// under memory pressure the kernel writes them to the file and drops them instead of failing. Elsewhere, or when
    /// the file cannot be made, an ordinary block (<see cref="IsFileBacked"/> false).
    /// </summary>
    public static NativeBlock MapFile(string directory, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        if (!OperatingSystem.IsLinux())
        {
            return Allocate(bytes);
        }

        nuint length = (nuint)((bytes + 4095) & ~4095L);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "vectors-" + Guid.NewGuid().ToString("N") + ".map");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
        {
            file.SetLength((long)length);
            nint address = Map(0, length, ProtReadWrite, MapShared, (int)file.SafeFileHandle.DangerousGetHandle(), 0);
            if (address != -1)
            {
                // Reads come one row at a time in random order: no read-ahead around them.
                _ = Advise(address, length, AdviceRandom);

                // The mapping holds the file open; closing the stream deletes its name.
                return new NativeBlock(address, length, mapped: true) { IsFileBacked = true };
            }
        }

        return Allocate(bytes);
    }

    /// <summary>True for a block mapped from a file (<see cref="MapFile"/>).</summary>
    public bool IsFileBacked { get; private init; }

    /// <summary>
    /// Drops the first <paramref name="bytes"/> of the block (whole pages) from the process's resident set: a
    /// file-backed block keeps every byte in the page cache and its file, and the next read takes a minor fault; for
    /// any other block this does nothing.
    /// </summary>
    public void ReleasePages(long bytes)
    {
        long end = Math.Min(bytes, (long)_length) & ~4095L;
        if (IsFileBacked && end > 0)
        {
            _ = Advise(handle, (nuint)end, AdviceDontNeed);
        }
    }

    /// <summary>Asks for transparent huge pages over the block (Linux, when enabled); a refusal only costs speed.</summary>
    public void AdviseHugePages()
    {
        if (_mapped && !IsFileBacked && HugePagesEnabled && _length >= HugePage)
        {
            _ = Advise(handle, _length, AdviceHugePage);
        }
    }

    protected override bool ReleaseHandle()
    {
        if (_mapped)
        {
            _ = Unmap(handle, _length);
        }
        else
        {
            NativeMemory.AlignedFree((void*)handle);
        }

        GC.RemoveMemoryPressure((long)_length);
        return true;
    }

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint Map(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Unmap(nint address, nuint length);

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Advise(nint address, nuint length, int advice);
}
