using System.Numerics;
using System.Runtime.CompilerServices;
using Theodore.Engine.Distances;
using Theodore.Engine.Filtering;

namespace Theodore.Engine.Graph;

/// <summary>
/// Everything one generation of an index holds: chunked arena, links, key map, tombstones and the
/// metadata postings. Slots are allocated under <see cref="_allocLock"/> and published by bumping
/// <see cref="Count"/>; searches read everything else without locks. Compaction builds a fresh
/// state and swaps it in, so readers of the old one are never disturbed.
/// </summary>
internal sealed unsafe partial class IndexState
{
    private const int LockStripes = 1024;
    private const int MaxLevel = 31;
    private const long EmptyEntry = -1;
    private const byte CoarseMark = 2;

    private readonly Lock _allocLock = new();
    private readonly Lock _entryLock = new();
    private readonly Lock _linkLock = new();
    private readonly Lock[] _stripes;
    private readonly Dictionary<string, int> _map = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly double _levelMultiplier;
    private NodeChunk[] _chunks = [];
    private readonly LinkSlabs _linkSlabs = new();
    private int _count;
    private int _tombstones;
    private int _linked;
    private int _claimed;
    private int _coarse;
    private int _refineCursor;
    private long _entry = EmptyEntry;
    private long _upperBytes;
    private CodeArena? _codes;
    private int _linksOnCodes;
    private int _codeBuilds;
    private readonly Lock _codeLock = new();
    private long _keyBytes;
    private readonly int _vectorStride;
    private readonly int _linkStride;

    public IndexState(VectorIndexOptions options, int seed)
    {
        Options = options;
        Dimension = options.Dimension;
        Stride = (Dimension + 15) & ~15;
        M = options.M;
        MaxM0 = 2 * M;
        LinkStride = 1 + MaxM0;
        UpperStride = 1 + M;
        bool buildCodes = options.BuildOnCodes && options.Metric != DistanceMetric.Manhattan && ScalarCodes.Pay(Dimension);
        CodeStride = options.Quantization == VectorQuantization.Int8 || buildCodes ? ScalarCodes.Stride(Dimension) : 0;

        VectorBytes = Stride * 4;
        Layout = SlotLayout.For(VectorBytes, LinkStride * 4, options.Quantization == VectorQuantization.None ? null : options.VectorFileDirectory);
        SlotBytes = VectorBytes + Layout.LinkBytes;
        _vectorStride = Layout.VectorStride;
        _linkStride = Layout.LinkStride;

        // Chunks of 4 to 8 MB (at most 4,096 slots): whole huge pages for big indexes, while a small index touches
        // only the pages its slots fill (the block is mapped lazily and gets huge pages only from its second chunk).
        int perChunk = Math.Clamp((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, (8 << 20) / SlotBytes) + 1) / 2, 64, 4_096);
        ChunkShift = BitOperations.Log2((uint)perChunk);
        ChunkMask = perChunk - 1;
        _levelMultiplier = 1.0 / Math.Log(M);
        _random = new Random(seed);
        _stripes = new Lock[LockStripes];
        for (int i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Lock();
        }
    }

    public VectorIndexOptions Options { get; }

    public int Dimension { get; }

    /// <summary>Floats per stored vector: the dimension rounded up to 16 and zero padded.</summary>
    public int Stride { get; }

    /// <summary>Bytes of a slot's vector in its chunk (<see cref="Stride"/> floats).</summary>
    public int VectorBytes { get; }

    /// <summary>Bytes per slot: the vector, and the layer-0 link block (<see cref="SlotLayout.LinkBytes"/>).</summary>
    public int SlotBytes { get; }

    /// <summary>Where the chunks keep a slot's vector and links (<see cref="SlotLayout"/>).</summary>
    public SlotLayout Layout { get; }

    /// <summary>Bytes per 8-bit code (<see cref="ScalarCodes"/>); 0 when builds walk on floats (and an int8 index does not search on them).</summary>
    public int CodeStride { get; }

    /// <summary>
    /// Whether builds of this state walk on 8-bit codes (the codes themselves exist only while builds need them, or,
    /// when the index is quantized to int8, for as long as the state lives).
    /// </summary>
    public bool HasCodes => CodeStride > 0;

    /// <summary>Whether searches walk on the codes and rerank on the vectors (<see cref="VectorIndexOptions.Quantization"/>).</summary>
    public bool Quantized => Options.Quantization != VectorQuantization.None;

    /// <summary>How many times the codes were built from the vectors (white-box tests check the amortized cost).</summary>
    public int CodeBuilds => Volatile.Read(ref _codeBuilds);

    /// <summary>The codes' bytes while they exist: the 8-bit ones, and a low-bit index's search codes.</summary>
    public long CodeBytes => (Volatile.Read(ref _codes)?.Bytes ?? 0) + (Volatile.Read(ref _searchCodes)?.Bytes ?? 0);

    /// <summary>
    /// True when the codes are worth giving back: nothing waits to be linked or refined, and the links made since
    /// the codes were built number at least half the slots, so building them again costs at most two encodes per
    /// link made. The caller releases them with every builder shut out (the writer gate closed).
    /// </summary>
    public bool CodesAtRest =>
        !KeepsBuildCodes && Volatile.Read(ref _codes) is not null && Unclaimed == 0 && Linked == Count && !HasRefinable
        && Volatile.Read(ref _linksOnCodes) >= Count / 2;

    public int M { get; }

    public int MaxM0 { get; }

    public int LinkStride { get; }

    public int UpperStride { get; }

    public int ChunkShift { get; }

    public int ChunkMask { get; }

    public MetadataIndex Metadata { get; } = new();

    /// <summary>Slots allocated so far (live and tombstoned).</summary>
    public int Count => Volatile.Read(ref _count);

    public int Tombstones => Volatile.Read(ref _tombstones);

    /// <summary>
    /// Every slot below this one is linked into the graph. Slots from here to <see cref="Count"/> are stored,
    /// keyed and indexed by metadata, but a graph walk may not find them yet, so searches scan them exactly.
    /// </summary>
    public int Linked => Volatile.Read(ref _linked);

    /// <summary>Stored slots nobody has started linking yet.</summary>
    public int Unclaimed => Count - Volatile.Read(ref _claimed);

    /// <summary>
    /// Linked slots whose links came from the narrower beam used under a backlog (see
    /// <see cref="VectorIndexOptions.BacklogEfConstruction"/>) and still wait for a full-width pass.
    /// </summary>
    public int Coarse => Volatile.Read(ref _coarse);

    /// <summary>True when a coarse slot below <see cref="Linked"/> is waiting to be refined.</summary>
    public bool HasRefinable => Coarse > 0 && Volatile.Read(ref _refineCursor) < Linked;

    /// <summary>Slots the current chunks can hold; sizes the visited tags.</summary>
    public int Capacity => Volatile.Read(ref _chunks).Length << ChunkShift;

    /// <summary>Entry slot in the low half, top level in the high half; -1 while empty.</summary>
    public long Entry => Volatile.Read(ref _entry);

    public int LiveCount
    {
        get
        {
            lock (_allocLock)
            {
                return _map.Count;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Vector(int slot)
    {
        var chunk = _chunks[slot >> ChunkShift];
        return (float*)(chunk.Vectors + ((nint)(slot & ChunkMask) * _vectorStride));
    }

    /// <summary>The [count, links...] block of a slot on a layer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int* Links(int slot, int level)
    {
        var chunk = _chunks[slot >> ChunkShift];
        if (level == 0)
        {
            return (int*)(chunk.Links + ((nint)(slot & ChunkMask) * _linkStride));
        }

        var upper = chunk.Upper[slot & ChunkMask]!;
        return (int*)Unsafe.AsPointer(ref upper[(level - 1) * UpperStride]);
    }

    /// <summary>
    /// True for a slot no search may return: a tombstone or a soft-deleted record (one flag byte, the only check the
    /// walk makes for either). <see cref="IsTombstone"/> tells the dead ones apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsDeleted(int slot) => Volatile.Read(ref _chunks[slot >> ChunkShift].Deleted[slot & ChunkMask]) != 0;

    public int Level(int slot) => _chunks[slot >> ChunkShift].Levels[slot & ChunkMask];

    public string Key(int slot) => _chunks[slot >> ChunkShift].Keys[slot & ChunkMask]!;

    public IReadOnlyDictionary<string, EngineValue> MetadataOf(int slot) =>
        _chunks[slot >> ChunkShift].Metadata[slot & ChunkMask]!;

    public Lock NodeLock(int slot) => _stripes[slot & (LockStripes - 1)];

    /// <summary>
    /// Stores a record in a new slot and points its key there; a previous slot of the same key
    /// becomes a tombstone. The caller links the slot into the graph afterwards.
    /// </summary>
    public int Allocate(string key, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, EngineValue> metadata, out int level) =>
        Allocate(key, vector, metadata, -1, out level);

    /// <summary>As above; a non-negative <paramref name="fixedLevel"/> keeps a level (compaction copies the graph).</summary>
    public int Allocate(string key, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, EngineValue> metadata, int fixedLevel, out int level) =>
        Allocate(key, vector, metadata, fixedLevel, default, out level);

    /// <summary>
    /// As above, with the record's visibility state (<paramref name="state"/>: expiry and soft-delete ticks, 0 for
    /// none) set before the slot is published, so no search ever sees an expired or soft-deleted record flash live.
    /// </summary>
    public int Allocate(string key, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, EngineValue> metadata, int fixedLevel, SlotState state, out int level)
    {
        lock (_allocLock)
        {
            int slot = _count;
            if ((slot >> ChunkShift) >= _chunks.Length)
            {
                var grown = new NodeChunk[_chunks.Length + 1];
                Array.Copy(_chunks, grown, _chunks.Length);
                grown[^1] = new NodeChunk(ChunkMask + 1, Layout, _linkSlabs);
                if (grown.Length == 2)
                {
                    grown[0].AdviseHugePages();
                }

                if (grown.Length >= 2)
                {
                    grown[^1].AdviseHugePages();
                }

                Volatile.Write(ref _chunks, grown);
            }

            var chunk = _chunks[slot >> ChunkShift];
            int local = slot & ChunkMask;
            vector.CopyTo(new Span<float>(chunk.Vectors + ((nint)local * _vectorStride), Dimension));
            if (local == ChunkMask && chunk.VectorsMapped && HasCodes)
            {
                // A full chunk of file-backed vectors: builds and walks read codes, so its pages can leave.
                chunk.ReleaseVectorPages(ChunkMask + 1);
            }

            _codes?.Encode(slot, vector);
            _searchCodes?.Encode(slot, vector);
            level = fixedLevel >= 0 ? fixedLevel : DrawLevel();
            chunk.Levels[local] = (byte)level;
            if (level > 0)
            {
                chunk.Upper[local] = GC.AllocateArray<int>(level * UpperStride, pinned: true);
                _upperBytes += (level * UpperStride * 4L) + 32;
            }

            chunk.Keys[local] = key;
            chunk.Metadata[local] = metadata;
            if (_map.TryGetValue(key, out int previous))
            {
                TombstoneLocked(previous);
            }
            else
            {
                _keyBytes += KeyBytes(key);
            }

            _map[key] = slot;
            if (state.ExpiresAt != 0)
            {
                SetExpiryLocked(slot, state.ExpiresAt);
            }

            if (state.DeletedAt != 0)
            {
                // Soft-deleted from the start (a copy or a recovery): never in the postings.
                MarkSoftDeletedLocked(slot, state.DeletedAt);
            }
            else
            {
                lock (Metadata.Gate)
                {
                    Metadata.Add(slot, metadata);
                }
            }

            Volatile.Write(ref _count, slot + 1);
            return slot;
        }
    }

    public bool Delete(string key)
    {
        lock (_allocLock)
        {
            if (!_map.Remove(key, out int slot))
            {
                return false;
            }

            _keyBytes -= KeyBytes(key);
            TombstoneLocked(slot);
            return true;
        }
    }

    public bool TryGetSlot(string key, out int slot)
    {
        lock (_allocLock)
        {
            return _map.TryGetValue(key, out slot);
        }
    }

    public string[] SnapshotKeys()
    {
        lock (_allocLock)
        {
            var keys = new string[_map.Count];
            _map.Keys.CopyTo(keys, 0);
            return keys;
        }
    }

    /// <summary>Makes <paramref name="slot"/> the entry point for an empty graph; false when another insert won.</summary>
    public bool TrySetFirstEntry(int slot, int level)
    {
        lock (_entryLock)
        {
            if (_entry != EmptyEntry)
            {
                return false;
            }

            Volatile.Write(ref _entry, Pack(slot, level));
            return true;
        }
    }

    public void RaiseEntry(int slot, int level)
    {
        lock (_entryLock)
        {
            if (_entry == EmptyEntry || level > (int)(_entry >> 32))
            {
                Volatile.Write(ref _entry, Pack(slot, level));
            }
        }
    }

    public void SetEntry(int slot, int level)
    {
        lock (_entryLock)
        {
            Volatile.Write(ref _entry, slot < 0 ? EmptyEntry : Pack(slot, level));
        }
    }

    /// <summary>
    /// The codes builds walk on, built from the stored vectors on first use. The codes of slots [0, n) are written
    /// outside the allocation lock (those vectors never change); the rest, and the publication, under it, after which
    /// Allocate encodes each new slot before publishing it. Callers are builders inside the writer gate.
    /// </summary>
    public CodeArena AcquireCodes()
    {
        Interlocked.Increment(ref _linksOnCodes);
        return Codes();
    }

    /// <summary>
    /// The 8-bit codes, built from the stored vectors on first use (after a load or a compaction): what builds walk
    /// on, and an int8 index's searches, which keep them from then on (<see cref="ReleaseCodes"/> leaves them alone).
    /// </summary>
    public CodeArena Codes() => Volatile.Read(ref _codes) ?? Publish(ref _codes, VectorQuantization.Int8);

    /// <summary>
    /// Takes file-backed vectors out of the resident set (see <see cref="VectorIndexOptions.VectorFileDirectory"/>)
    /// after something read them all: a code build, a snapshot, a load. Nothing for vectors kept in memory.
    /// </summary>
    public void ReleaseVectorPages()
    {
        var chunks = Volatile.Read(ref _chunks);
        int count = Count;
        for (int i = 0; i < chunks.Length; i++)
        {
            chunks[i].ReleaseVectorPages(Math.Clamp(count - (i << ChunkShift), 0, ChunkMask + 1));
        }
    }

    /// <summary>
    /// Drops the 8-bit codes unless an int8 index searches on them; only with the writer gate closed, so no build is
    /// walking on them. A low-bit index's search codes stay.
    /// </summary>
    public void ReleaseCodes()
    {
        if (KeepsBuildCodes)
        {
            return;
        }

        lock (_allocLock)
        {
            Volatile.Write(ref _codes, null);
            Volatile.Write(ref _linksOnCodes, 0);
        }
    }

    /// <summary>Hands out the oldest slot nobody is linking yet; false when every stored slot is taken.</summary>
    public bool TryClaimLink(out int slot)
    {
        int claimed = Volatile.Read(ref _claimed);
        while (claimed < Count)
        {
            int seen = Interlocked.CompareExchange(ref _claimed, claimed + 1, claimed);
            if (seen == claimed)
            {
                slot = claimed;
                return true;
            }

            claimed = seen;
        }

        slot = -1;
        return false;
    }

    /// <summary>
    /// Records that a claimed slot is linked (<paramref name="coarse"/>: with the narrower beam, so it waits for
    /// <see cref="TryClaimRefine"/>) and moves <see cref="Linked"/> past every finished slot.
    /// </summary>
    public void CompleteLink(int slot, bool coarse = false)
    {
        if (coarse)
        {
            Interlocked.Increment(ref _coarse);
        }

        Volatile.Write(ref _chunks[slot >> ChunkShift].Linked[slot & ChunkMask], coarse ? CoarseMark : (byte)1);
        lock (_linkLock)
        {
            int linked = _linked;
            int claimed = Volatile.Read(ref _claimed);
            while (linked < claimed && _chunks[linked >> ChunkShift].Linked[linked & ChunkMask] != 0)
            {
                linked++;
            }

            Volatile.Write(ref _linked, linked);
        }
    }

    /// <summary>Marks a linked slot of a state being built (a snapshot, a compaction) as still owing a refinement.</summary>
    public void MarkCoarse(int slot)
    {
        ref byte mark = ref _chunks[slot >> ChunkShift].Linked[slot & ChunkMask];
        if (mark != CoarseMark)
        {
            mark = CoarseMark;
            Interlocked.Increment(ref _coarse);
        }
    }

    public bool IsCoarse(int slot) => Volatile.Read(ref _chunks[slot >> ChunkShift].Linked[slot & ChunkMask]) == CoarseMark;

    /// <summary>
    /// Hands out the oldest coarse slot below <see cref="Linked"/> that nobody is refining; false when there is none
    /// yet. A cursor walks the linked prefix once: slots behind it are final, since a slot is marked before
    /// <see cref="Linked"/> passes it.
    /// </summary>
    public bool TryClaimRefine(out int slot)
    {
        while (Coarse > 0)
        {
            int cursor = Volatile.Read(ref _refineCursor);
            if (cursor >= Linked)
            {
                break;
            }

            if (Interlocked.CompareExchange(ref _refineCursor, cursor + 1, cursor) == cursor && IsCoarse(cursor))
            {
                slot = cursor;
                return true;
            }
        }

        slot = -1;
        return false;
    }

    /// <summary>Records that a slot from <see cref="TryClaimRefine"/> has its full-width links.</summary>
    public void CompleteRefine(int slot)
    {
        Volatile.Write(ref _chunks[slot >> ChunkShift].Linked[slot & ChunkMask], 1);
        Interlocked.Decrement(ref _coarse);
    }

    /// <summary>For states whose links were copied in whole (a snapshot, a compaction): every slot counts as linked.</summary>
    public void MarkAllLinked()
    {
        lock (_linkLock)
        {
            int count = Count;
            Volatile.Write(ref _claimed, count);
            Volatile.Write(ref _linked, count);
        }
    }

    public MemoryUsage Memory()
    {
        long chunks = Volatile.Read(ref _chunks).Length;
        long perChunk = ChunkMask + 1;
        long slots = Count;

        // A chunk's native block costs only the pages its slots have written (it is mapped lazily); the managed
        // per-slot arrays beside it are allocated whole.
        long mapped = Layout.VectorDirectory is null ? 0 : slots * VectorBytes;
        long vectors = (slots * VectorBytes) - mapped + CodeBytes;
        long graph = (slots * (long)Layout.LinkBytes) + (chunks * perChunk * (3 + 8)) + Volatile.Read(ref _upperBytes) + StateBytes();
        long keys = Volatile.Read(ref _keyBytes) + (chunks * perChunk * 8);
        long metadata = Metadata.ApproximateBytes + (chunks * perChunk * 8);
        return new MemoryUsage(vectors, graph, keys, metadata) { MappedVectorBytes = mapped };
    }

    /// <summary>
    /// Upper bound on what <see cref="Memory"/> grows by when <paramref name="records"/> new slots with keys of
    /// <paramref name="keyChars"/> characters in all are allocated now: the slots' vectors and links (a replaced key
    /// takes a new slot too), the per-slot arrays of the chunks they need beyond the allocated ones, their upper layers
    /// at the expected level, the build codes' chunks when the state builds on codes, and new keys (a replaced key's
    /// map entry is counted anyway). Metadata is the caller's to add.
    /// </summary>
    public long GrowthBytes(int records, long keyChars)
    {
        if (records <= 0)
        {
            return 0;
        }

        long perChunk = ChunkMask + 1;
        long chunks = Volatile.Read(ref _chunks).Length;
        long needed = (Count + (long)records + perChunk - 1) / perChunk;
        long chunkBytes = perChunk * (3 + 8 + 8 + 8);
        long newChunks = Math.Max(0, needed - chunks);

        // P(level >= l) = M^-l, so the expected level is 1 / (M - 1); each upper level holds UpperStride ints.
        long upper = ((records * ((UpperStride * 4L) + 32)) + M - 2) / (M - 1);
        // A code row is the code and a line for its terms. Released at rest, the codes are built again for every
        // stored slot when new slots arrive for the linker, so then the existing slots' codes count too.
        // A low-bit index also encodes every new slot into its search codes.
        long codeRowBytes = CodeStride + 64L;
        long codes = !HasCodes ? 0 : (records + (Volatile.Read(ref _codes) is null ? (long)Count : 0)) * codeRowBytes;
        codes += HasSearchCodes ? records * (long)CodeArena.RowBytesOf(Options.Quantization, Dimension) : 0;
        long keys = (records * (28L + 22)) + (2 * keyChars);
        return (records * (long)Layout.ResidentBytes) + (newChunks * chunkBytes) + upper + codes + keys;
    }

    // Map entry (~28 bytes with its bucket) plus the string object.
    private static long KeyBytes(string key) => 28 + 22 + (2L * key.Length);

    private static long Pack(int slot, int level) => ((long)level << 32) | (uint)slot;

    private void TombstoneLocked(int slot)
    {
        var chunk = _chunks[slot >> ChunkShift];
        int local = slot & ChunkMask;
        bool softDeleted = chunk.Deleted[local] == SoftDeletedMark;
        Volatile.Write(ref chunk.Deleted[local], TombstoneMark);
        if (softDeleted)
        {
            // Its postings went when it was soft-deleted.
            chunk.DeletedAt![local] = 0;
            _softDeleted--;
        }
        else
        {
            lock (Metadata.Gate)
            {
                Metadata.Remove(slot, chunk.Metadata[local]!);
            }
        }

        if (chunk.Expiry is { } expiry && expiry[local] != 0)
        {
            expiry[local] = 0;
            Interlocked.Decrement(ref _expiring);
        }

        _tombstones++;
    }

    private int DrawLevel()
    {
        double u = 1.0 - _random.NextDouble();
        return Math.Min(MaxLevel, (int)(-Math.Log(u) * _levelMultiplier));
    }
}
