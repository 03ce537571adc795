using System.Numerics.Tensors;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Graph;

/// <summary>
/// Writes an <see cref="IndexState"/> as snapshot sections and reads it back without rebuilding the graph. All
/// sections are in slot order (slot i of the file is slot i of the state, tombstones included, so neighbour ids need
/// no remapping); integers are little-endian. The layout is described in the engine's README.
/// </summary>
internal static unsafe class GraphSnapshot
{
    /// <summary>2: soft-delete and expiry sections may follow. 1 (none of them) still loads.</summary>
    /// <summary>Format 3 adds the quantization and the rerank factor at the end of the options section.</summary>
    public const int FormatVersion = 3;

    public const int FirstFormatVersion = 1;

    public const string OptionsSection = "options";
    public const string KeysSection = "keys";
    public const string VectorsSection = "vectors";
    public const string LevelsSection = "levels";
    public const string TombstonesSection = "tombstones";
    public const string Links0Section = "links0";
    public const string UpperLinksSection = "links-upper";
    public const string MetadataSection = "metadata";

    /// <summary>Optional: one byte per slot, 1 where the links came from the backlog's narrower beam.</summary>
    public const string CoarseSection = "coarse";

    /// <summary>Optional (format 2): count, then per soft-deleted slot its number and the UTC ticks it was deleted at.</summary>
    public const string SoftDeletedSection = "soft-deleted";

    /// <summary>Optional (format 2): count, then per expiring slot its number and the UTC ticks it expires at.</summary>
    public const string ExpirySection = "expiry";

    private const int OptionsLength = (17 * 4) + 8;
    private const int OptionsLengthBefore3 = (15 * 4) + 8;
    private const int SoftDeleteAndExpiryVersion = 2;
    private const float NormTolerance = 1e-3f;

    private static readonly IReadOnlyDictionary<string, EngineValue> EmptyMetadata = new Dictionary<string, EngineValue>(StringComparer.Ordinal);

    /// <summary>Writes every section; the caller keeps writers out of <paramref name="st"/> meanwhile.</summary>
    public static void Write(IndexState st, SnapshotWriter writer, string prefix)
    {
        var options = st.Options;
        int n = st.Count;
        long entry = st.Entry;
        using (var sink = new SectionSink(writer.BeginSection(prefix + OptionsSection, OptionsLength)))
        {
            sink.WriteInt32(FormatVersion);
            sink.WriteInt32(options.Dimension);
            sink.WriteInt32((int)options.Metric);
            sink.WriteInt32(options.M);
            sink.WriteInt32(options.EfConstruction);
            sink.WriteInt32(options.DefaultEf);
            sink.WriteDouble(options.CompactionThreshold);
            sink.WriteInt32(options.CompactionMinimumTombstones);
            sink.WriteInt32(options.ExactFilterThreshold);
            sink.WriteInt32(options.ParallelBatchThreshold);
            sink.WriteInt32(options.Seed);
            sink.WriteInt32(n);
            sink.WriteInt32(st.LiveCount);
            sink.WriteInt32(st.Tombstones);
            sink.WriteInt32(entry == -1 ? -1 : (int)entry);
            sink.WriteInt32(entry == -1 ? 0 : (int)(entry >> 32));
            sink.WriteInt32((int)options.Quantization);
            sink.WriteInt32(options.RerankFactor);
        }

        long keyBytes = 0;
        for (int slot = 0; slot < n; slot++)
        {
            keyBytes += 4 + (2L * st.Key(slot).Length);
        }

        using (var sink = new SectionSink(writer.BeginSection(prefix + KeysSection, keyBytes)))
        {
            for (int slot = 0; slot < n; slot++)
            {
                sink.WriteString(st.Key(slot));
            }
        }

        // Streamed slot by slot from the arena: the vectors are never copied as a whole.
        using (var sink = new SectionSink(writer.BeginSection(prefix + VectorsSection, (long)n * st.Dimension * 4)))
        {
            for (int slot = 0; slot < n; slot++)
            {
                sink.WriteFloats(new ReadOnlySpan<float>(st.Vector(slot), st.Dimension));
            }
        }

        using (var sink = new SectionSink(writer.BeginSection(prefix + LevelsSection, n)))
        {
            for (int slot = 0; slot < n; slot++)
            {
                sink.WriteByte((byte)st.Level(slot));
            }
        }

        using (var sink = new SectionSink(writer.BeginSection(prefix + TombstonesSection, n)))
        {
            for (int slot = 0; slot < n; slot++)
            {
                sink.WriteByte(st.IsTombstone(slot) ? (byte)1 : (byte)0);
            }
        }

        WriteLinks(st, writer, prefix + Links0Section, n, upper: false);
        WriteLinks(st, writer, prefix + UpperLinksSection, n, upper: true);
        if (st.Coarse > 0)
        {
            using var sink = new SectionSink(writer.BeginSection(prefix + CoarseSection, n));
            for (int slot = 0; slot < n; slot++)
            {
                sink.WriteByte(st.IsCoarse(slot) ? (byte)1 : (byte)0);
            }
        }

        WriteSlotTimes(st, writer, prefix + SoftDeletedSection, n, st.SoftDeleted, static state => state.DeletedAt);
        WriteSlotTimes(st, writer, prefix + ExpirySection, n, st.Expiring, static state => state.ExpiresAt);

        long metadataBytes = 0;
        for (int slot = 0; slot < n; slot++)
        {
            metadataBytes += MetadataLength(st.MetadataOf(slot));
        }

        using (var sink = new SectionSink(writer.BeginSection(prefix + MetadataSection, metadataBytes)))
        {
            for (int slot = 0; slot < n; slot++)
            {
                WriteMetadata(sink, st.MetadataOf(slot));
            }
        }
    }

    /// <summary>Rebuilds the options and the state; anything inconsistent throws <see cref="CorruptDataException"/>.</summary>
    public static (VectorIndexOptions Options, IndexState State) Read(SnapshotReader reader, string prefix, string? vectorFileDirectory = null)
    {
        Header header;
        using (var cursor = new SectionCursor(reader, prefix + OptionsSection))
        {
            header = ReadHeader(cursor);
        }

        var options = header.Options with { VectorFileDirectory = vectorFileDirectory };
        int n = header.Slots;
        int dimension = options.Dimension;
        byte[] levels = ReadFlags(reader, prefix + LevelsSection, n, IndexState.HighestLevel);
        byte[] tombstones = ReadFlags(reader, prefix + TombstonesSection, n, 1);
        CheckEntry(reader, prefix, header, levels);

        var st = new IndexState(options, options.Seed);
        using (var keys = new SectionCursor(reader, prefix + KeysSection))
        using (var vectors = new SectionCursor(reader, prefix + VectorsSection))
        using (var metadata = new SectionCursor(reader, prefix + MetadataSection))
        {
            if (vectors.Length != checked((long)n * dimension * 4))
            {
                throw vectors.Corrupt($"{vectors.Length} bytes cannot hold {n} vectors of dimension {dimension}");
            }

            // Every slot takes at least 6 key bytes and 4 metadata bytes: checked before any slot is allocated.
            keys.Require(6L * n, $"{n} keys");
            metadata.Require(4L * n, $"the metadata of {n} records");
            var vector = new float[dimension];
            for (int slot = 0; slot < n; slot++)
            {
                string key = keys.ReadString("a key", 1, VectorIndex.MaxKeyLength);
                vectors.ReadFloats(vector);
                CheckVector(vectors, vector, options.Metric, slot);
                var values = ReadMetadata(metadata);
                st.Allocate(key, vector, values, levels[slot], out _);
            }

            keys.ExpectEnd();
            metadata.ExpectEnd();
        }

        ReadLinks(reader, prefix + Links0Section, st, levels, upper: false);
        ReadLinks(reader, prefix + UpperLinksSection, st, levels, upper: true);
        ApplyTombstones(reader, prefix, st, tombstones, header);
        st.SetEntry(header.EntrySlot, header.MaxLevel);
        st.MarkAllLinked();
        if (reader.HasSection(prefix + CoarseSection))
        {
            byte[] coarse = ReadFlags(reader, prefix + CoarseSection, n, 1);
            for (int slot = 0; slot < n; slot++)
            {
                if (coarse[slot] != 0)
                {
                    st.MarkCoarse(slot);
                }
            }
        }

        ReadSlotTimes(reader, prefix + SoftDeletedSection, st, n, header.Version, (slot, ticks) => st.SoftDelete(st.Key(slot), ticks));
        ReadSlotTimes(reader, prefix + ExpirySection, st, n, header.Version, (slot, ticks) => st.SetExpiry(st.Key(slot), ticks));
        return (options, st);
    }

    private static void WriteSlotTimes(IndexState st, SnapshotWriter writer, string name, int n, int count, Func<SlotState, long> select)
    {
        if (count == 0)
        {
            return;
        }

        var entries = new List<(int Slot, long Ticks)>(count);
        for (int slot = 0; slot < n; slot++)
        {
            long ticks = st.IsTombstone(slot) ? 0 : select(st.StateOf(slot));
            if (ticks != 0)
            {
                entries.Add((slot, ticks));
            }
        }

        using var sink = new SectionSink(writer.BeginSection(name, 4 + (12L * entries.Count)));
        sink.WriteInt32(entries.Count);
        foreach (var (slot, ticks) in entries)
        {
            sink.WriteInt32(slot);
            sink.WriteInt64(ticks);
        }
    }

    // Each entry names a keyed slot once, in increasing order, with a time a DateTimeOffset can hold.
    private static void ReadSlotTimes(SnapshotReader reader, string name, IndexState st, int n, int version, Action<int, long> apply)
    {
        if (!reader.HasSection(name))
        {
            return;
        }

        using var cursor = new SectionCursor(reader, name);
        if (version < SoftDeleteAndExpiryVersion)
        {
            throw cursor.Corrupt($"format version {version} has no such section");
        }

        int count = cursor.ReadCount("an entry count", n, 12);
        int previous = -1;
        for (int i = 0; i < count; i++)
        {
            int slot = cursor.ReadInt32();
            long ticks = cursor.ReadInt64();
            if (slot <= previous || slot >= n || st.IsTombstone(slot) || ticks <= 0 || ticks > DateTime.MaxValue.Ticks)
            {
                throw cursor.Corrupt($"entry {i} names slot {slot} at {ticks} ticks: out of order, out of range, a tombstone, or not a time");
            }

            apply(slot, ticks);
            previous = slot;
        }

        cursor.ExpectEnd();
    }

    private static void WriteLinks(IndexState st, SnapshotWriter writer, string name, int n, bool upper)
    {
        long bytes = 0;
        for (int slot = 0; slot < n; slot++)
        {
            int top = upper ? st.Level(slot) : 0;
            for (int layer = upper ? 1 : 0; layer <= top; layer++)
            {
                bytes += 4L * (1 + StoredCount(st, slot, layer));
            }
        }

        using var sink = new SectionSink(writer.BeginSection(name, bytes));
        for (int slot = 0; slot < n; slot++)
        {
            int top = upper ? st.Level(slot) : 0;
            for (int layer = upper ? 1 : 0; layer <= top; layer++)
            {
                int* block = st.Links(slot, layer);
                int count = StoredCount(st, slot, layer);
                sink.WriteInt32(count);
                for (int i = 1; i <= count; i++)
                {
                    sink.WriteInt32(block[i]);
                }
            }
        }
    }

    // The walk never reads past the capacity of a list, so neither does the snapshot.
    private static int StoredCount(IndexState st, int slot, int layer) =>
        Math.Clamp(st.Links(slot, layer)[0], 0, layer == 0 ? st.MaxM0 : st.M);

    private static long MetadataLength(IReadOnlyDictionary<string, EngineValue> metadata)
    {
        long bytes = 4;
        foreach (var (field, value) in metadata)
        {
            bytes += 4 + (2L * field.Length) + 1;
            bytes += value.Kind switch
            {
                EngineValueKind.Text => 4 + (2L * value.TextOrNull!.Length),
                EngineValueKind.Number => 8,
                EngineValueKind.Boolean => 1,
                _ => ListLength(value.ListOrNull!),
            };
        }

        return bytes;
    }

    private static long ListLength(string[] list)
    {
        long bytes = 4;
        foreach (var item in list)
        {
            bytes += 4 + (2L * item.Length);
        }

        return bytes;
    }

    private static void WriteMetadata(SectionSink sink, IReadOnlyDictionary<string, EngineValue> metadata)
    {
        sink.WriteInt32(metadata.Count);
        foreach (var (field, value) in metadata)
        {
            sink.WriteString(field);
            sink.WriteByte((byte)value.Kind);
            switch (value.Kind)
            {
                case EngineValueKind.Text:
                    sink.WriteString(value.TextOrNull!);
                    break;
                case EngineValueKind.Number:
                    sink.WriteDouble(value.RawNumber);
                    break;
                case EngineValueKind.Boolean:
                    sink.WriteByte(value.AsBoolean() ? (byte)1 : (byte)0);
                    break;
                default:
                    var list = value.ListOrNull!;
                    sink.WriteInt32(list.Length);
                    foreach (var item in list)
                    {
                        sink.WriteString(item);
                    }

                    break;
            }
        }
    }

    private static Header ReadHeader(SectionCursor cursor)
    {
        int version = cursor.ReadInt32();
        if (version is < FirstFormatVersion or > FormatVersion)
        {
            throw cursor.Corrupt($"unknown index format version {version}");
        }

        int expected = version >= 3 ? OptionsLength : OptionsLengthBefore3;
        if (cursor.Length != expected)
        {
            throw cursor.Corrupt($"the section is {cursor.Length} bytes long, expected {expected} for format {version}");
        }

        int dimension = cursor.ReadInt32();
        int metric = cursor.ReadInt32();
        var options = new VectorIndexOptions
        {
            Dimension = dimension,
            Metric = (DistanceMetric)metric,
            M = cursor.ReadInt32(),
            EfConstruction = cursor.ReadInt32(),
            DefaultEf = cursor.ReadInt32(),
            CompactionThreshold = cursor.ReadDouble(),
            CompactionMinimumTombstones = cursor.ReadInt32(),
            ExactFilterThreshold = cursor.ReadInt32(),
            ParallelBatchThreshold = cursor.ReadInt32(),
            Seed = cursor.ReadInt32(),
        };
        var counts = (Slots: cursor.ReadInt32(), Live: cursor.ReadInt32(), Tombstones: cursor.ReadInt32(), Entry: cursor.ReadInt32(), MaxLevel: cursor.ReadInt32());
        if (version >= 3)
        {
            options = options with { Quantization = (VectorQuantization)cursor.ReadInt32(), RerankFactor = cursor.ReadInt32() };
        }

        try
        {
            options.Validate("snapshot");
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw cursor.Corrupt($"the index options are invalid: {ex.Message}");
        }

        var header = new Header(options, counts.Slots, counts.Live, counts.Tombstones, counts.Entry, counts.MaxLevel) { Version = version };
        if (header.Slots < 0 || header.Live < 0 || header.Tombstones < 0 || (long)header.Live + header.Tombstones != header.Slots)
        {
            throw cursor.Corrupt($"{header.Slots} slots do not split into {header.Live} live records and {header.Tombstones} tombstones");
        }

        return header;
    }

    private static byte[] ReadFlags(SnapshotReader reader, string name, int n, int max)
    {
        using var cursor = new SectionCursor(reader, name);
        if (cursor.Length != n)
        {
            throw cursor.Corrupt($"the section is {cursor.Length} bytes long for {n} slots");
        }

        var values = new byte[n];
        cursor.ReadInto(values);
        for (int slot = 0; slot < n; slot++)
        {
            if (values[slot] > max)
            {
                throw cursor.CorruptAt(slot, $"slot {slot} holds {values[slot]}, above {max}");
            }
        }

        return values;
    }

    private static void CheckEntry(SnapshotReader reader, string prefix, Header header, byte[] levels)
    {
        int n = header.Slots;
        int top = 0;
        foreach (byte level in levels)
        {
            top = Math.Max(top, level);
        }

        bool valid = n == 0
            ? header.EntrySlot == -1 && header.MaxLevel == 0
            : header.EntrySlot >= 0 && header.EntrySlot < n && header.MaxLevel == top && levels[header.EntrySlot] == top;
        if (!valid)
        {
            throw new CorruptDataException(
                reader.Path,
                0,
                $"section '{prefix}{OptionsSection}': entry point {header.EntrySlot} at level {header.MaxLevel} is not a slot on the top level {top} of {n} slots");
        }
    }

    private static void CheckVector(SectionCursor cursor, float[] vector, DistanceMetric metric, int slot)
    {
        if (!TensorPrimitives.IsFiniteAll<float>(vector))
        {
            throw cursor.Corrupt($"the vector of slot {slot} holds NaN or infinity");
        }

        if (metric == DistanceMetric.Cosine && Math.Abs(TensorPrimitives.SumOfSquares<float>(vector) - 1f) > NormTolerance)
        {
            throw cursor.Corrupt($"the cosine vector of slot {slot} is not unit length");
        }
    }

    private static IReadOnlyDictionary<string, EngineValue> ReadMetadata(SectionCursor cursor)
    {
        // Smallest field: name length + 1 char, kind, boolean.
        int fields = cursor.ReadCount("a field count", int.MaxValue, 4 + 2 + 1 + 1);
        if (fields == 0)
        {
            return EmptyMetadata;
        }

        var values = new Dictionary<string, EngineValue>(fields, StringComparer.Ordinal);
        for (int i = 0; i < fields; i++)
        {
            string field = cursor.ReadString("a field name", 1, int.MaxValue);
            byte kind = cursor.ReadByte();
            EngineValue value;
            switch ((EngineValueKind)kind)
            {
                case EngineValueKind.Text:
                    value = EngineValue.FromString(cursor.ReadString("a text value", 0, int.MaxValue));
                    break;
                case EngineValueKind.Number:
                    double number = cursor.ReadDouble();
                    if (!double.IsFinite(number))
                    {
                        throw cursor.Corrupt($"field '{field}' holds a number that is not finite");
                    }

                    value = EngineValue.FromDouble(number);
                    break;
                case EngineValueKind.Boolean:
                    byte flag = cursor.ReadByte();
                    if (flag > 1)
                    {
                        throw cursor.Corrupt($"field '{field}' holds boolean byte {flag}");
                    }

                    value = EngineValue.FromBoolean(flag == 1);
                    break;
                case EngineValueKind.TextList:
                    int count = cursor.ReadCount("a list length", int.MaxValue, 4);
                    var items = new string[count];
                    for (int j = 0; j < count; j++)
                    {
                        items[j] = cursor.ReadString("a list item", 0, int.MaxValue);
                    }

                    value = EngineValue.FromStringList(items);
                    break;
                default:
                    throw cursor.Corrupt($"field '{field}' has unknown value kind {kind}");
            }

            if (!values.TryAdd(field, value))
            {
                throw cursor.Corrupt($"field '{field}' appears twice in one record");
            }
        }

        return values;
    }

    private static void ReadLinks(SnapshotReader reader, string name, IndexState st, byte[] levels, bool upper)
    {
        int n = levels.Length;
        using var cursor = new SectionCursor(reader, name);
        var seen = new int[n];
        int stamp = 0;
        for (int slot = 0; slot < n; slot++)
        {
            int top = upper ? levels[slot] : 0;
            for (int layer = upper ? 1 : 0; layer <= top; layer++)
            {
                int cap = layer == 0 ? st.MaxM0 : st.M;
                int count = cursor.ReadCount($"the link count of slot {slot} on layer {layer}", cap, 4);
                int* block = st.Links(slot, layer);
                stamp++;
                for (int i = 1; i <= count; i++)
                {
                    int neighbour = cursor.ReadInt32();
                    if (neighbour < 0 || neighbour >= n || neighbour == slot || seen[neighbour] == stamp || levels[neighbour] < layer)
                    {
                        throw cursor.Corrupt($"slot {slot} on layer {layer} links to {neighbour}: out of range, itself, twice or a node without that layer");
                    }

                    seen[neighbour] = stamp;
                    block[i] = neighbour;
                }

                block[0] = count;
            }
        }

        cursor.ExpectEnd();
    }

    private static void ApplyTombstones(SnapshotReader reader, string prefix, IndexState st, byte[] tombstones, Header header)
    {
        // Allocating in slot order already buried every slot whose key a later slot took; deleted keys remain.
        for (int slot = 0; slot < tombstones.Length; slot++)
        {
            string key = st.Key(slot);
            if (tombstones[slot] == 1 && st.TryGetSlot(key, out int mapped) && mapped == slot)
            {
                st.Delete(key);
            }
        }

        for (int slot = 0; slot < tombstones.Length; slot++)
        {
            if (st.IsTombstone(slot) != (tombstones[slot] == 1))
            {
                throw new CorruptDataException(
                    reader.Path,
                    0,
                    $"section '{prefix}{TombstonesSection}': slot {slot} is marked {(tombstones[slot] == 1 ? "deleted" : "live")} but its key says otherwise");
            }
        }

        if (st.Tombstones != header.Tombstones || st.LiveCount != header.Live)
        {
            throw new CorruptDataException(
                reader.Path,
                0,
                $"section '{prefix}{OptionsSection}': the header counts {header.Live} live records and {header.Tombstones} tombstones, the slots hold {st.LiveCount} and {st.Tombstones}");
        }
    }

    private sealed record Header(VectorIndexOptions Options, int Slots, int Live, int Tombstones, int EntrySlot, int MaxLevel)
    {
        public int Version { get; init; } = FormatVersion;
    }
}
