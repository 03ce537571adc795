using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// The bytes of the adapter's log records and snapshot sections. All integers little-endian; a string is an i32 byte
/// length and UTF-8; a vector is an i32 count and raw little-endian floats; metadata is an i32 length and the JSON
/// object Core's <see cref="MetadataJson"/> writes. Records: Define (definition, created ticks), Upsert (ticks,
/// namespace, count, records), Delete (ticks, namespace, count, ids), DeleteAll (ticks, namespace), and the record
/// operations of <c>JournalCodec.Operations.cs</c> (5-9).
/// </summary>
internal static partial class JournalCodec
{
    public const byte DefineType = 1;
    public const byte UpsertType = 2;
    public const byte DeleteType = 3;
    public const byte DeleteAllType = 4;

    /// <summary>
    /// Version of the adapter's snapshot payload; a newer one is refused. 2: a <c>namespaces</c> section and each
    /// namespace's engine graph. 1: record sections only, still read (the records are loaded and the graph rebuilt).
    /// </summary>
    public const ushort SnapshotPayloadVersion = 2;

    /// <summary>The first payload version, which held records only.</summary>
    public const ushort RecordsOnlyPayloadVersion = 1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] EncodeDefine(IndexDefinition definition, DateTimeOffset createdAt)
    {
        var writer = new PayloadWriter();
        WriteDefinition(ref writer, definition);
        writer.WriteInt64(createdAt.UtcTicks);
        return writer.ToArray();
    }

    public static byte[] EncodeUpsert(DateTimeOffset at, Namespace ns, IReadOnlyList<StoredRecord> records)
    {
        var writer = new PayloadWriter();
        writer.WriteInt64(at.UtcTicks);
        writer.WriteString(ns.Value);
        writer.WriteInt32(records.Count);
        foreach (var record in records)
        {
            WriteRecord(ref writer, record);
        }

        return writer.ToArray();
    }

    public static byte[] EncodeDelete(DateTimeOffset at, Namespace ns, IReadOnlyList<string> ids)
    {
        var writer = new PayloadWriter();
        writer.WriteInt64(at.UtcTicks);
        writer.WriteString(ns.Value);
        writer.WriteInt32(ids.Count);
        foreach (var id in ids)
        {
            writer.WriteString(id);
        }

        return writer.ToArray();
    }

    public static byte[] EncodeDeleteAll(DateTimeOffset at, Namespace ns)
    {
        var writer = new PayloadWriter();
        writer.WriteInt64(at.UtcTicks);
        writer.WriteString(ns.Value);
        return writer.ToArray();
    }

    /// <summary>The snapshot's own header: payload version, definition, created and updated ticks.</summary>
    public static byte[] EncodeSnapshotHeader(IndexDefinition definition, DateTimeOffset createdAt, DateTimeOffset updatedAt, ushort version = SnapshotPayloadVersion)
    {
        var writer = new PayloadWriter();
        writer.WriteUInt16(version);
        WriteDefinition(ref writer, definition);
        writer.WriteInt64(createdAt.UtcTicks);
        writer.WriteInt64(updatedAt.UtcTicks);
        return writer.ToArray();
    }

    /// <summary>One snapshot section: a namespace and some of its records.</summary>
    public static byte[] EncodeSection(Namespace ns, IReadOnlyList<StoredRecord> records)
    {
        var writer = new PayloadWriter();
        writer.WriteString(ns.Value);
        writer.WriteInt32(records.Count);
        foreach (var record in records)
        {
            WriteRecord(ref writer, record);
        }

        return writer.ToArray();
    }

    /// <summary>The <c>namespaces</c> section: per namespace, in graph prefix order, its name and the fields that have held a list.</summary>
    public static byte[] EncodeNamespaces(IReadOnlyList<KeyValuePair<Namespace, IReadOnlyCollection<string>>> namespaces)
    {
        var writer = new PayloadWriter();
        writer.WriteInt32(namespaces.Count);
        foreach (var (ns, listFields) in namespaces)
        {
            writer.WriteString(ns.Value);
            writer.WriteInt32(listFields.Count);
            foreach (var field in listFields)
            {
                writer.WriteString(field);
            }
        }

        return writer.ToArray();
    }

    public static List<KeyValuePair<Namespace, List<string>>> DecodeNamespaces(ReadOnlySpan<byte> data, string source)
    {
        var reader = new PayloadReader(data, source);
        var count = reader.ReadCount(minimumBytesEach: 8);
        var namespaces = new List<KeyValuePair<Namespace, List<string>>>(count);
        for (var i = 0; i < count; i++)
        {
            var ns = reader.ReadNamespace();
            var fieldCount = reader.ReadCount(minimumBytesEach: 5);
            var fields = new List<string>(fieldCount);
            for (var f = 0; f < fieldCount; f++)
            {
                var at = reader.Offset;
                var field = reader.ReadString();
                fields.Add(field.Length is >= 1 and <= 64 ? field : throw reader.Corrupt("a list field name is not a metadata key", at));
            }

            namespaces.Add(new(ns, fields));
        }

        reader.ExpectEnd();
        return namespaces;
    }

    public static (IndexDefinition Definition, DateTimeOffset CreatedAt) DecodeDefine(ReadOnlySpan<byte> payload, string source)
    {
        var reader = new PayloadReader(payload, source);
        var definition = ReadDefinition(ref reader);
        var created = reader.ReadTicks();
        reader.ExpectEnd();
        return (definition, created);
    }

    public static (DateTimeOffset At, Namespace Namespace, List<StoredRecord> Records) DecodeUpsert(ReadOnlySpan<byte> payload, string source)
    {
        var reader = new PayloadReader(payload, source);
        var at = reader.ReadTicks();
        var ns = reader.ReadNamespace();
        var records = ReadRecords(ref reader);
        reader.ExpectEnd();
        return (at, ns, records);
    }

    public static (DateTimeOffset At, Namespace Namespace, List<string> Ids) DecodeDelete(ReadOnlySpan<byte> payload, string source)
    {
        var reader = new PayloadReader(payload, source);
        var at = reader.ReadTicks();
        var ns = reader.ReadNamespace();
        var count = reader.ReadCount(minimumBytesEach: 5);
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(reader.ReadId());
        }

        reader.ExpectEnd();
        return (at, ns, ids);
    }

    public static (DateTimeOffset At, Namespace Namespace) DecodeDeleteAll(ReadOnlySpan<byte> payload, string source)
    {
        var reader = new PayloadReader(payload, source);
        var at = reader.ReadTicks();
        var ns = reader.ReadNamespace();
        reader.ExpectEnd();
        return (at, ns);
    }

    public static (ushort Version, IndexDefinition Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) DecodeSnapshotHeader(ReadOnlySpan<byte> header, string source)
    {
        var reader = new PayloadReader(header, source);
        var version = reader.ReadUInt16();
        if (version > SnapshotPayloadVersion)
        {
            throw new UnsupportedFormatVersionException(source, version, SnapshotPayloadVersion);
        }

        if (version < RecordsOnlyPayloadVersion)
        {
            throw reader.Corrupt($"unknown snapshot payload version {version}");
        }

        var definition = ReadDefinition(ref reader);
        var created = reader.ReadTicks();
        var updated = reader.ReadTicks();
        reader.ExpectEnd();
        return (version, definition, created, updated);
    }

    public static (Namespace Namespace, List<StoredRecord> Records) DecodeSection(ReadOnlySpan<byte> data, string source)
    {
        var reader = new PayloadReader(data, source);
        var ns = reader.ReadNamespace();
        var records = ReadRecords(ref reader);
        reader.ExpectEnd();
        return (ns, records);
    }

    private static void WriteDefinition(ref PayloadWriter writer, IndexDefinition definition)
    {
        writer.WriteString(definition.Name.Value);
        writer.WriteInt32(definition.Dimension);
        writer.WriteByte((byte)definition.Metric);
        if (definition.Embedding is { } embedding)
        {
            writer.WriteByte(1);
            writer.WriteString(embedding.Model);
            writer.WriteString(embedding.Version);
            writer.WriteByte(embedding.Normalize ? (byte)1 : (byte)0);
        }
        else
        {
            writer.WriteByte(0);
        }

        // One byte of flags: 1 for HNSW options, 2 for a quantization (definitions written before quantization
        // existed hold 0 or 1, and read the same).
        var quantization = definition.Quantization;
        writer.WriteByte((byte)((definition.Hnsw is null ? 0 : 1) | (quantization is null ? 0 : 2)));
        if (definition.Hnsw is { } hnsw)
        {
            writer.WriteInt32(hnsw.M);
            writer.WriteInt32(hnsw.EfConstruction);
        }

        if (quantization is not null)
        {
            writer.WriteByte((byte)quantization.Kind);
            writer.WriteInt32(quantization.RerankFactor);
        }
    }

    private static IndexDefinition ReadDefinition(ref PayloadReader reader)
    {
        var start = reader.Offset;
        var name = reader.ReadString();
        var dimension = reader.ReadInt32();
        var metric = reader.ReadByte();
        EmbeddingContract? embedding = null;
        if (reader.ReadFlag())
        {
            var model = reader.ReadString();
            var version = reader.ReadString();
            var normalize = reader.ReadFlag();
            embedding = Build(ref reader, start, () => new EmbeddingContract(model, version, normalize));
        }

        HnswOptions? hnsw = null;
        QuantizationOptions? quantization = null;
        var flags = reader.ReadByte();
        if (flags > 3)
        {
            throw reader.Corrupt($"unknown index option flags {flags}", start);
        }

        if ((flags & 1) != 0)
        {
            var m = reader.ReadInt32();
            var ef = reader.ReadInt32();
            hnsw = Build(ref reader, start, () => new HnswOptions(m, ef));
        }

        if ((flags & 2) != 0)
        {
            var kind = reader.ReadByte();
            var rerank = reader.ReadInt32();
            quantization = Build(ref reader, start, () => new QuantizationOptions((VectorQuantization)kind, rerank));
        }

        if (!IndexName.TryParse(name, out var indexName, out _))
        {
            throw reader.Corrupt($"'{name}' is not an index name", start);
        }

        return Build(ref reader, start, () => new IndexDefinition(indexName, dimension, (DistanceMetric)metric, embedding, hnsw, quantization));
    }

    private static T Build<T>(ref PayloadReader reader, int offset, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is VectorStorageException or ArgumentException)
        {
            throw reader.Corrupt($"the index definition is invalid: {ex.Message}", offset);
        }
    }

    private static void WriteRecord(ref PayloadWriter writer, StoredRecord record)
    {
        writer.WriteString(record.Id);
        writer.WriteInt32(record.Values.Length);
        writer.WriteBytes(MemoryMarshal.AsBytes(record.Values.Span));
        WriteMetadata(ref writer, record.Metadata);
    }

    private static void WriteMetadata(ref PayloadWriter writer, Metadata metadata)
    {
        if (metadata.Count == 0)
        {
            writer.WriteInt32(0);
            return;
        }

        var json = new ArrayBufferWriter<byte>();
        using (var jsonWriter = new Utf8JsonWriter(json))
        {
            MetadataJson.Write(jsonWriter, metadata);
        }

        writer.WriteInt32(json.WrittenCount);
        writer.WriteBytes(json.WrittenSpan);
    }

    private static List<StoredRecord> ReadRecords(ref PayloadReader reader)
    {
        // The smallest record: a 1-byte id with its length, an empty vector count and an empty metadata length.
        var count = reader.ReadCount(minimumBytesEach: 13);
        var records = new List<StoredRecord>(count);
        for (var i = 0; i < count; i++)
        {
            records.Add(ReadRecord(ref reader));
        }

        return records;
    }

    private static StoredRecord ReadRecord(ref PayloadReader reader)
    {
        var id = reader.ReadId();
        var values = reader.ReadFloats();
        return new StoredRecord(id, values, ReadMetadata(ref reader, id));
    }

    private static Metadata ReadMetadata(ref PayloadReader reader, string id)
    {
        var metadataOffset = reader.Offset;
        var json = reader.ReadBlock();
        if (json.IsEmpty)
        {
            return Metadata.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return MetadataJson.Read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or VectorStorageException)
        {
            throw reader.Corrupt($"the metadata of '{id}' is not valid: {ex.Message}", metadataOffset);
        }
    }

    private ref struct PayloadWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public PayloadWriter()
        {
        }

        public readonly void WriteByte(byte value) => WriteBytes([value]);

        public readonly void WriteUInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
            _buffer.Advance(2);
        }

        public readonly void WriteInt32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
            _buffer.Advance(4);
        }

        public readonly void WriteInt64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
            _buffer.Advance(8);
        }

        public readonly void WriteString(string value)
        {
            var length = StrictUtf8.GetByteCount(value);
            WriteInt32(length);
            StrictUtf8.GetBytes(value, _buffer.GetSpan(length));
            _buffer.Advance(length);
        }

        public readonly void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("The native storage format is little-endian.");
            }

            _buffer.Write(bytes);
        }

        public readonly byte[] ToArray() => _buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads untrusted bytes: every length is checked against what is left before anything is allocated.</summary>
    private ref struct PayloadReader(ReadOnlySpan<byte> data, string source)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _offset;

        public readonly int Offset => _offset;

        public byte ReadByte() => Take(1)[0];

        public bool ReadFlag() => ReadByte() switch
        {
            0 => false,
            1 => true,
            var other => throw Corrupt($"expected a flag (0 or 1), found {other}", _offset - 1),
        };

        public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public DateTimeOffset ReadTicks()
        {
            var at = _offset;
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
            return ticks < 0 || ticks > DateTime.MaxValue.Ticks
                ? throw Corrupt($"{ticks} is not a time", at)
                : new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        /// <summary>A count of items each at least <paramref name="minimumBytesEach"/> long, so a huge count cannot allocate.</summary>
        public int ReadCount(int minimumBytesEach)
        {
            var at = _offset;
            var count = ReadInt32();
            if (count < 0 || (long)count * minimumBytesEach > _data.Length - _offset)
            {
                throw Corrupt($"a count of {count} does not fit in the {_data.Length - _offset} bytes left", at);
            }

            return count;
        }

        public ReadOnlySpan<byte> ReadBlock()
        {
            var at = _offset;
            var length = ReadInt32();
            if (length < 0 || length > _data.Length - _offset)
            {
                throw Corrupt($"a length of {length} does not fit in the {_data.Length - _offset} bytes left", at);
            }

            return Take(length);
        }

        public string ReadString()
        {
            var at = _offset;
            var bytes = ReadBlock();
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Corrupt("a string is not UTF-8", at);
            }
        }

        public string ReadId()
        {
            var at = _offset;
            var id = ReadString();
            return VectorId.TryParse(id, out _, out _) ? id : throw Corrupt("a record id is not a valid id", at);
        }

        public Namespace ReadNamespace()
        {
            var at = _offset;
            var value = ReadString();
            return Namespace.TryParse(value, out var ns, out _) ? ns : throw Corrupt("a namespace is not valid", at);
        }

        public float[] ReadFloats()
        {
            var at = _offset;
            var count = ReadInt32();
            if (count < 0 || (long)count * sizeof(float) > _data.Length - _offset)
            {
                throw Corrupt($"a vector of {count} floats does not fit in the {_data.Length - _offset} bytes left", at);
            }

            var values = new float[count];
            Take(count * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        public readonly void ExpectEnd()
        {
            if (_offset != _data.Length)
            {
                throw Corrupt($"{_data.Length - _offset} unexpected bytes follow the end", _offset);
            }
        }

        public readonly CorruptDataException Corrupt(string problem, int? offset = null) =>
            new(source, offset ?? _offset, problem);

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > _data.Length - _offset)
            {
                throw Corrupt($"{length} bytes are needed but only {_data.Length - _offset} are left");
            }

            var slice = _data.Slice(_offset, length);
            _offset += length;
            return slice;
        }
    }
}
