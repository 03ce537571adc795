using Theodore.Engine.Durability;

namespace Theodore.Engine.Testing;

/// <summary>
/// An in-memory file system that loses power on demand, modelled on SQLite's crash VFS (test6.c).
/// <list type="bullet">
/// <item>Every write or truncation since a file's last <see cref="IDurableFile.Flush"/> is pending.</item>
/// <item>Every create, rename and delete since its directory's last <see cref="SyncDirectory"/> is pending.</item>
/// <item>At <see cref="SimulatePowerLoss"/> each pending file operation is, independently and from a seeded
/// <see cref="Random"/>, kept, dropped or garbled (each 512 B or 4 KiB sector of the write gets the right bytes,
/// random bytes, the right bytes with a run of garbage, or stays as it was), and each pending directory operation
/// survives or not, in order.</item>
/// </list>
/// Bytes outside a pending write are never damaged (SQLite's "powersafe overwrite"), and directories themselves are
/// created, renamed and deleted durably at once. Any damage to flushed data is therefore a bug in the layer under test, never the sim's.
/// </summary>
public sealed class CrashSimFileSystem : IDurableFileSystem
{
    private const int DiskFullErrno = 28;

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly Dictionary<string, SimDirectory> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _locks = new(StringComparer.Ordinal);
    private bool _crashed;

    public CrashSimFileSystem(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>
    /// The machine loses power when it reaches this crash point (1-based), before the operation takes effect. Crash
    /// points are file flushes, directory syncs, renames and deletions.
    /// </summary>
    public long CrashAtPoint { get; set; } = long.MaxValue;

    /// <summary>The Nth flush (1-based) throws an <see cref="IOException"/> instead of reaching the disk.</summary>
    public long FailFlushAt { get; set; } = long.MaxValue;

    /// <summary>The Nth write (1-based) and every later one writes half its bytes and then fails with ENOSPC, until this is reset.</summary>
    public long DiskFullAtWrite { get; set; } = long.MaxValue;

    /// <summary>Called on every file flush, outside the sim's lock; lets a test make fsync slow.</summary>
    public Action? OnFlush { get; set; }

    public long FlushCount { get; private set; }

    public long WriteCount { get; private set; }

    public long DirectorySyncCount { get; private set; }

    public long CrashPointCount { get; private set; }

    public bool HasCrashed
    {
        get
        {
            lock (_gate)
            {
                return _crashed;
            }
        }
    }

    public IDurableFile OpenFile(string path, DurableFileMode mode)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var (directory, name) = Split(path);
            var dir = GetDirectory(directory, path);
            if (mode == DurableFileMode.Create)
            {
                var inode = new SimInode();
                dir.Live[name] = inode;
                dir.Pending.Add(new DirectoryOperation(DirectoryOperationKind.Create, name, null, inode));
                return new SimFile(this, path, inode, writable: true);
            }

            if (!dir.Live.TryGetValue(name, out var existing))
            {
                throw new FileNotFoundException($"Could not find file '{path}'.", path);
            }

            return new SimFile(this, path, existing, writable: mode == DurableFileMode.Open);
        }
    }

    public bool FileExists(string path)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var (directory, name) = Split(path);
            return _directories.TryGetValue(directory, out var dir) && dir.Live.ContainsKey(name);
        }
    }

    public void CreateDirectory(string path)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var current = Normalize(path);
            while (!string.IsNullOrEmpty(current) && !_directories.ContainsKey(current))
            {
                _directories[current] = new SimDirectory();
                current = Path.GetDirectoryName(current);
            }
        }
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var dir = GetDirectory(Normalize(directory), directory);
            var names = new List<string>(dir.Live.Keys);
            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }

    public IReadOnlyList<string> ListDirectories(string directory)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var parent = Normalize(directory);
            var names = new List<string>();
            foreach (var path in _directories.Keys)
            {
                if (string.Equals(Path.GetDirectoryName(path), parent, StringComparison.Ordinal))
                {
                    names.Add(Path.GetFileName(path));
                }
            }

            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }

    public void RenameDirectory(string sourcePath, string destinationPath)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var source = Normalize(sourcePath);
            var destination = Normalize(destinationPath);
            if (!_directories.ContainsKey(source))
            {
                throw new DirectoryNotFoundException($"Could not find a part of the path '{sourcePath}'.");
            }

            if (_directories.ContainsKey(destination))
            {
                throw new IOException($"The directory '{destinationPath}' already exists.");
            }

            PassCrashPoint();
            foreach (var path in Subtree(source))
            {
                _directories[destination + path[source.Length..]] = _directories[path];
                _directories.Remove(path);
            }
        }
    }

    public void DeleteDirectory(string path)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var root = Normalize(path);
            if (!_directories.ContainsKey(root))
            {
                return;
            }

            PassCrashPoint();
            foreach (var victim in Subtree(root))
            {
                _directories.Remove(victim);
            }
        }
    }

    public void Rename(string sourcePath, string destinationPath)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var (sourceDirectory, sourceName) = Split(sourcePath);
            var (destinationDirectory, destinationName) = Split(destinationPath);
            if (!string.Equals(sourceDirectory, destinationDirectory, StringComparison.Ordinal))
            {
                throw new IOException($"The simulated file system renames within one directory only: {sourcePath} -> {destinationPath}.");
            }

            var dir = GetDirectory(sourceDirectory, sourcePath);
            if (!dir.Live.TryGetValue(sourceName, out var inode))
            {
                throw new FileNotFoundException($"Could not find file '{sourcePath}'.", sourcePath);
            }

            PassCrashPoint();
            dir.Live.Remove(sourceName);
            dir.Live[destinationName] = inode;
            dir.Pending.Add(new DirectoryOperation(DirectoryOperationKind.Rename, sourceName, destinationName, inode));
        }
    }

    public void DeleteFile(string path)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var (directory, name) = Split(path);
            var dir = GetDirectory(directory, path);
            if (!dir.Live.TryGetValue(name, out var inode))
            {
                return;
            }

            PassCrashPoint();
            dir.Live.Remove(name);
            dir.Pending.Add(new DirectoryOperation(DirectoryOperationKind.Delete, name, null, inode));
        }
    }

    public void SyncDirectory(string directory)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var dir = GetDirectory(Normalize(directory), directory);
            PassCrashPoint();
            DirectorySyncCount++;
            dir.Durable.Clear();
            foreach (var (name, inode) in dir.Live)
            {
                dir.Durable[name] = inode;
            }

            dir.Pending.Clear();
        }
    }

    public IDisposable LockDirectory(string directory)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var key = Normalize(directory);
            if (!_locks.Add(key))
            {
                throw DataDirectoryLockedException.For(directory);
            }

            return new SimLock(this, key);
        }
    }

    /// <summary>The current (not necessarily durable) contents of a file, for tests.</summary>
    public byte[] ReadAllBytes(string path)
    {
        lock (_gate)
        {
            var (directory, name) = Split(path);
            var inode = GetDirectory(directory, path).Live.TryGetValue(name, out var found)
                ? found
                : throw new FileNotFoundException($"Could not find file '{path}'.", path);
            return inode.Data.AsSpan(0, inode.Length).ToArray();
        }
    }

    /// <summary>Replaces a file with <paramref name="contents"/>, durably and at once; tests use it to plant damage.</summary>
    public void WriteAllBytes(string path, ReadOnlySpan<byte> contents)
    {
        lock (_gate)
        {
            var (directory, name) = Split(path);
            if (!_directories.TryGetValue(directory, out var dir))
            {
                dir = new SimDirectory();
                _directories[directory] = dir;
            }

            var inode = new SimInode();
            inode.Replace(contents);
            inode.MakeDurable();
            dir.Live[name] = inode;
            dir.Durable[name] = inode;
        }
    }

    /// <summary>Power is cut now: returns the file system as the next boot sees it. This instance stays dead.</summary>
    public CrashSimFileSystem SimulatePowerLoss()
    {
        lock (_gate)
        {
            _crashed = true;
            var sectorSize = _random.Next(2) == 0 ? 512 : 4096;
            var profile = _random.Next(10);
            var survivor = new CrashSimFileSystem(_random.Next());
            foreach (var (path, dir) in _directories)
            {
                var entries = new Dictionary<string, SimInode>(dir.Durable, StringComparer.Ordinal);
                foreach (var op in dir.Pending)
                {
                    if (!Survives(profile))
                    {
                        continue;
                    }

                    ApplyDirectoryOperation(entries, op);
                }

                var rebuilt = new SimDirectory();
                foreach (var (name, inode) in entries)
                {
                    var image = new SimInode();
                    image.Replace(CrashImage(inode, profile, sectorSize));
                    image.MakeDurable();
                    rebuilt.Live[name] = image;
                    rebuilt.Durable[name] = image;
                }

                survivor._directories[path] = rebuilt;
            }

            return survivor;
        }
    }

    /// <summary>The process is killed but the machine stays up: everything written so far survives in the page cache.</summary>
    public CrashSimFileSystem SimulateProcessKill()
    {
        lock (_gate)
        {
            _crashed = true;
            var survivor = new CrashSimFileSystem(_random.Next());
            foreach (var (path, dir) in _directories)
            {
                var rebuilt = new SimDirectory();
                foreach (var (name, inode) in dir.Live)
                {
                    var image = new SimInode();
                    image.Replace(inode.Data.AsSpan(0, inode.Length));
                    image.MakeDurable();
                    rebuilt.Live[name] = image;
                    rebuilt.Durable[name] = image;
                }

                survivor._directories[path] = rebuilt;
            }

            return survivor;
        }
    }

    private static void ApplyDirectoryOperation(Dictionary<string, SimInode> entries, DirectoryOperation op)
    {
        switch (op.Kind)
        {
            case DirectoryOperationKind.Create:
                entries[op.Name] = op.Inode;
                break;
            case DirectoryOperationKind.Rename:
                // A rename whose source never became durable has nothing to move.
                if (entries.TryGetValue(op.Name, out var source) && ReferenceEquals(source, op.Inode))
                {
                    entries.Remove(op.Name);
                    entries[op.NewName!] = op.Inode;
                }

                break;
            case DirectoryOperationKind.Delete:
                if (entries.TryGetValue(op.Name, out var victim) && ReferenceEquals(victim, op.Inode))
                {
                    entries.Remove(op.Name);
                }

                break;
        }
    }

    private List<string> Subtree(string root) =>
        [.. _directories.Keys.Where(p => string.Equals(p, root, StringComparison.Ordinal) || p.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))];

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(path);

    private static (string Directory, string Name) Split(string path)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        return (Normalize(directory), Path.GetFileName(path));
    }

    // Profiles: 0 keeps every pending operation, 1 drops them all, the rest mix keep / drop / garble.
    private bool Survives(int profile) => profile switch
    {
        0 => true,
        1 => false,
        _ => _random.Next(2) == 0,
    };

    private byte[] CrashImage(SimInode inode, int profile, int sectorSize)
    {
        var image = new GrowableBytes(inode.DurableData);
        foreach (var op in inode.Pending)
        {
            var fate = profile switch
            {
                0 => 0,
                1 => 1,
                _ => _random.Next(3),
            };
            if (op.Data is null)
            {
                if (fate != 1)
                {
                    image.SetLength(op.Offset);
                }

                continue;
            }

            if (fate == 0)
            {
                image.Write(op.Offset, op.Data);
            }
            else if (fate == 2)
            {
                Garble(image, op.Offset, op.Data, sectorSize);
            }
        }

        return image.ToArray();
    }

    private void Garble(GrowableBytes image, long offset, byte[] data, int sectorSize)
    {
        var end = offset + data.Length;
        var position = offset;
        while (position < end)
        {
            var sectorEnd = Math.Min(end, ((position / sectorSize) + 1) * sectorSize);
            var piece = data.AsSpan((int)(position - offset), (int)(sectorEnd - position));
            switch (_random.Next(4))
            {
                case 0:
                    image.Write(position, piece);
                    break;
                case 1:
                    var garbage = new byte[piece.Length];
                    _random.NextBytes(garbage);
                    image.Write(position, garbage);
                    break;
                case 2:
                    // test6.c's other mode: the right bytes, except for a contiguous run of garbage inside the sector.
                    var torn = piece.ToArray();
                    var start = _random.Next(torn.Length);
                    _random.NextBytes(torn.AsSpan(start, _random.Next(1, torn.Length - start + 1)));
                    image.Write(position, torn);
                    break;
                default:
                    break;
            }

            position = sectorEnd;
        }
    }

    private SimDirectory GetDirectory(string directory, string forPath)
    {
        return _directories.TryGetValue(directory, out var dir)
            ? dir
            : throw new DirectoryNotFoundException($"Could not find a part of the path '{forPath}'.");
    }

    private void ThrowIfCrashed()
    {
        if (_crashed)
        {
            throw new SimulatedCrashException();
        }
    }

    private void PassCrashPoint()
    {
        CrashPointCount++;
        if (CrashPointCount >= CrashAtPoint)
        {
            _crashed = true;
            throw new SimulatedCrashException();
        }
    }

    private void Flush(SimInode inode)
    {
        OnFlush?.Invoke();
        lock (_gate)
        {
            ThrowIfCrashed();
            PassCrashPoint();
            FlushCount++;
            if (FlushCount == FailFlushAt)
            {
                throw new IOException("Simulated fsync failure: input/output error.", 5);
            }

            inode.MakeDurable();
        }
    }

    private void Write(SimInode inode, long offset, ReadOnlySpan<byte> source)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            WriteCount++;
            if (WriteCount >= DiskFullAtWrite)
            {
                var half = source[..(source.Length / 2)];
                inode.Write(offset, half);
                throw new IOException("No space left on device (simulated).", DiskFullErrno);
            }

            inode.Write(offset, source);
        }
    }

    private enum DirectoryOperationKind
    {
        Create,
        Rename,
        Delete,
    }

    private sealed record DirectoryOperation(DirectoryOperationKind Kind, string Name, string? NewName, SimInode Inode);

    private sealed class SimDirectory
    {
        public Dictionary<string, SimInode> Live { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, SimInode> Durable { get; } = new(StringComparer.Ordinal);

        public List<DirectoryOperation> Pending { get; } = [];
    }

    /// <summary>A pending write (Data set) or truncation (Data null, Offset is the new length).</summary>
    private sealed record FileOperation(long Offset, byte[]? Data);

    private sealed class SimInode
    {
        private readonly GrowableBytes _live = new([]);

        public byte[] Data => _live.Buffer;

        public int Length => _live.Length;

        public byte[] DurableData { get; private set; } = [];

        public List<FileOperation> Pending { get; } = [];

        public void Write(long offset, ReadOnlySpan<byte> source)
        {
            _live.Write(offset, source);
            Pending.Add(new FileOperation(offset, source.ToArray()));
        }

        public void SetLength(long length)
        {
            _live.SetLength(length);
            Pending.Add(new FileOperation(length, null));
        }

        public void Replace(ReadOnlySpan<byte> contents)
        {
            _live.SetLength(0);
            _live.Write(0, contents);
        }

        public void MakeDurable()
        {
            DurableData = _live.ToArray();
            Pending.Clear();
        }
    }

    private sealed class GrowableBytes
    {
        public GrowableBytes(byte[] initial)
        {
            Buffer = (byte[])initial.Clone();
            Length = initial.Length;
        }

        public byte[] Buffer { get; private set; }

        public int Length { get; private set; }

        public void Write(long offset, ReadOnlySpan<byte> source)
        {
            var end = checked((int)(offset + source.Length));
            EnsureCapacity(end);
            if (offset > Length)
            {
                Buffer.AsSpan(Length, (int)offset - Length).Clear();
            }

            source.CopyTo(Buffer.AsSpan((int)offset));
            Length = Math.Max(Length, end);
        }

        public void SetLength(long length)
        {
            var target = checked((int)length);
            EnsureCapacity(target);
            if (target > Length)
            {
                Buffer.AsSpan(Length, target - Length).Clear();
            }

            Length = target;
        }

        public byte[] ToArray() => Buffer.AsSpan(0, Length).ToArray();

        private void EnsureCapacity(int size)
        {
            if (size <= Buffer.Length)
            {
                return;
            }

            var grown = new byte[Math.Max(size, Buffer.Length * 2)];
            Buffer.AsSpan(0, Length).CopyTo(grown);
            Buffer = grown;
        }
    }

    private sealed class SimLock(CrashSimFileSystem owner, string key) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._locks.Remove(key);
            }
        }
    }

    private sealed class SimFile(CrashSimFileSystem owner, string path, SimInode inode, bool writable) : IDurableFile
    {
        private bool _disposed;

        public string Path { get; } = path;

        public long Length
        {
            get
            {
                lock (owner._gate)
                {
                    ThrowIfUnusable();
                    return inode.Length;
                }
            }
        }

        public int Read(long offset, Span<byte> destination)
        {
            lock (owner._gate)
            {
                ThrowIfUnusable();
                if (offset >= inode.Length)
                {
                    return 0;
                }

                var count = (int)Math.Min(destination.Length, inode.Length - offset);
                inode.Data.AsSpan((int)offset, count).CopyTo(destination);
                return count;
            }
        }

        public void Write(long offset, ReadOnlySpan<byte> source)
        {
            ThrowIfReadOnly();
            lock (owner._gate)
            {
                ThrowIfUnusable();
            }

            owner.Write(inode, offset, source);
        }

        public void Flush()
        {
            lock (owner._gate)
            {
                ThrowIfUnusable();
            }

            owner.Flush(inode);
        }

        public void SetLength(long length)
        {
            ThrowIfReadOnly();
            lock (owner._gate)
            {
                ThrowIfUnusable();
                inode.SetLength(length);
            }
        }

        public void Dispose() => _disposed = true;

        private void ThrowIfReadOnly()
        {
            if (!writable)
            {
                throw new UnauthorizedAccessException($"{Path} was opened read-only.");
            }
        }

        private void ThrowIfUnusable()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            owner.ThrowIfCrashed();
        }
    }
}
