using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;

namespace Theodore.Adapters.Native.Persistence;

// Record operations in the log. SoftDelete (5), Restore (6), SetExpiry (7) and UpdateMetadata (8) hold operations of
// their one kind; AtomicBatch (9) holds any mix, each operation led by its kind byte, and is what every mixed batch
// (atomic or not) and every upsert carrying an expiry writes: one record, so a crash leaves all of it or none.
// Payload: ticks, namespace, count, then per operation (kind byte in 9 only) its body: upsert = record, expiry ticks;
// delete, soft delete, restore = id; set expiry = id, expiry ticks; update metadata = id, metadata. Expiry ticks 0 = none.
internal static partial class JournalCodec
{
    public const byte SoftDeleteType = 5;
    public const byte RestoreType = 6;
    public const byte SetExpiryType = 7;
    public const byte UpdateMetadataType = 8;
    public const byte AtomicBatchType = 9;

    /// <summary>The record type for <paramref name="operations"/>: the kind's own when all share one of 5-8, else 9.</summary>
    public static byte OperationsType(IReadOnlyList<LoggedOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            throw new ArgumentException("At least one operation is needed.", nameof(operations));
        }
        var kind = operations[0].Kind;
        for (var i = 1; i < operations.Count; i++)
        {
            if (operations[i].Kind != kind)
            {
                return AtomicBatchType;
            }
        }

        return kind switch
        {
            RecordOperationKind.SoftDelete => SoftDeleteType,
            RecordOperationKind.Restore => RestoreType,
            RecordOperationKind.SetExpiry => SetExpiryType,
            RecordOperationKind.UpdateMetadata => UpdateMetadataType,
            _ => AtomicBatchType,
        };
    }

    public static bool IsOperationsType(byte type) => type is >= SoftDeleteType and <= AtomicBatchType;

    public static byte[] EncodeOperations(byte type, DateTimeOffset at, Namespace ns, IReadOnlyList<LoggedOperation> operations)
    {
        var writer = new PayloadWriter();
        writer.WriteInt64(at.UtcTicks);
        writer.WriteString(ns.Value);
        writer.WriteInt32(operations.Count);
        foreach (var operation in operations)
        {
            if (type == AtomicBatchType)
            {
                writer.WriteByte(KindByte(operation.Kind));
            }
            else if (TypeOf(operation.Kind) != type)
            {
                throw new ArgumentException($"A {operation.Kind} operation cannot go in a record of type {type}.", nameof(operations));
            }

            switch (operation.Kind)
            {
                case RecordOperationKind.Upsert:
                    var record = operation.Record ?? throw new ArgumentException("An upsert needs its record.", nameof(operations));
                    WriteRecord(ref writer, record);
                    writer.WriteInt64(record.ExpiresAt?.UtcTicks ?? 0);
                    break;
                case RecordOperationKind.SetExpiry:
                    writer.WriteString(operation.Id);
                    writer.WriteInt64(operation.ExpiresAt?.UtcTicks ?? 0);
                    break;
                case RecordOperationKind.UpdateMetadata:
                    writer.WriteString(operation.Id);
                    WriteMetadata(ref writer, operation.Metadata ?? throw new ArgumentException("A metadata update needs its metadata.", nameof(operations)));
                    break;
                default:
                    writer.WriteString(operation.Id);
                    break;
            }
        }

        return writer.ToArray();
    }

    public static (DateTimeOffset At, Namespace Namespace, List<LoggedOperation> Operations) DecodeOperations(byte type, ReadOnlySpan<byte> payload, string source)
    {
        var reader = new PayloadReader(payload, source);
        var at = reader.ReadTicks();
        var ns = reader.ReadNamespace();
        var count = reader.ReadCount(minimumBytesEach: 5);
        var operations = new List<LoggedOperation>(count);
        for (var i = 0; i < count; i++)
        {
            var kindAt = reader.Offset;
            var kind = type == AtomicBatchType ? KindOf(reader.ReadByte()) : KindOfType(type);
            if (kind is null)
            {
                throw reader.Corrupt($"operation {i} has an unknown kind", kindAt);
            }

            switch (kind.Value)
            {
                case RecordOperationKind.Upsert:
                    var record = ReadRecord(ref reader);
                    record = record with { ExpiresAt = ReadExpiry(ref reader) };
                    operations.Add(new LoggedOperation(kind.Value, record.Id) { Record = record });
                    break;
                case RecordOperationKind.SetExpiry:
                    var id = reader.ReadId();
                    operations.Add(new LoggedOperation(kind.Value, id) { ExpiresAt = ReadExpiry(ref reader) });
                    break;
                case RecordOperationKind.UpdateMetadata:
                    var updated = reader.ReadId();
                    operations.Add(new LoggedOperation(kind.Value, updated) { Metadata = ReadMetadata(ref reader, updated) });
                    break;
                default:
                    operations.Add(new LoggedOperation(kind.Value, reader.ReadId()));
                    break;
            }
        }

        reader.ExpectEnd();
        return (at, ns, operations);
    }

    private static DateTimeOffset? ReadExpiry(ref PayloadReader reader)
    {
        var at = reader.ReadTicks();
        return at.UtcTicks == 0 ? null : at;
    }

    private static byte TypeOf(RecordOperationKind kind) => kind switch
    {
        RecordOperationKind.SoftDelete => SoftDeleteType,
        RecordOperationKind.Restore => RestoreType,
        RecordOperationKind.SetExpiry => SetExpiryType,
        RecordOperationKind.UpdateMetadata => UpdateMetadataType,
        _ => AtomicBatchType,
    };

    private static RecordOperationKind? KindOfType(byte type) => type switch
    {
        SoftDeleteType => RecordOperationKind.SoftDelete,
        RestoreType => RecordOperationKind.Restore,
        SetExpiryType => RecordOperationKind.SetExpiry,
        UpdateMetadataType => RecordOperationKind.UpdateMetadata,
        _ => null,
    };

    // Fixed bytes, not the enum's values, so reordering the enum never changes the format.
    private static byte KindByte(RecordOperationKind kind) => kind switch
    {
        RecordOperationKind.Upsert => 1,
        RecordOperationKind.Delete => 2,
        RecordOperationKind.SoftDelete => 3,
        RecordOperationKind.Restore => 4,
        RecordOperationKind.UpdateMetadata => 5,
        RecordOperationKind.SetExpiry => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a record operation"),
    };

    private static RecordOperationKind? KindOf(byte value) => value switch
    {
        1 => RecordOperationKind.Upsert,
        2 => RecordOperationKind.Delete,
        3 => RecordOperationKind.SoftDelete,
        4 => RecordOperationKind.Restore,
        5 => RecordOperationKind.UpdateMetadata,
        6 => RecordOperationKind.SetExpiry,
        _ => null,
    };
}
