using System.Buffers.Binary;
using System.Text;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Durability;

/// <summary>
/// The fake state machine the durability tests drive: key -> bytes, changed only by logged operations applied in LSN
/// order, saved to and restored from a snapshot section, as the engine will do with its index.
/// </summary>
internal sealed class KeyValueMachine
{
    public const string SectionName = "entries";

    public static ReadOnlySpan<byte> UserHeader => "kv-machine-v1"u8;

    public SortedDictionary<string, byte[]> State { get; } = new(StringComparer.Ordinal);

    public long AppliedLsn { get; private set; }

    public List<WalRecord> Replayed { get; } = [];

    public static byte[] Serialize(SortedDictionary<string, byte[]> state)
    {
        using var buffer = new MemoryStream();
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(number, state.Count);
        buffer.Write(number);
        foreach (var (key, value) in state)
        {
            var keyBytes = Encoding.UTF8.GetBytes(key);
            buffer.WriteByte((byte)keyBytes.Length);
            buffer.Write(keyBytes);
            BinaryPrimitives.WriteInt32LittleEndian(number, value.Length);
            buffer.Write(number);
            buffer.Write(value);
        }

        return buffer.ToArray();
    }

    public static void ApplyTo(SortedDictionary<string, byte[]> state, KeyValueOp op)
    {
        if (op.Kind == KeyValueOp.Put)
        {
            state[op.Key] = op.Value;
        }
        else
        {
            state.Remove(op.Key);
        }
    }

    public void Apply(long lsn, KeyValueOp op)
    {
        if (lsn != AppliedLsn + 1)
        {
            throw new InvalidOperationException($"LSN {lsn} applied after {AppliedLsn}.");
        }

        ApplyTo(State, op);
        AppliedLsn = lsn;
    }

    public void Replay(WalRecord record)
    {
        Replayed.Add(record);
        Apply(record.Lsn, KeyValueOp.Decode(record));
    }

    public void Restore(SnapshotReader snapshot)
    {
        if (!snapshot.UserHeader.Span.SequenceEqual(UserHeader))
        {
            throw new InvalidOperationException("Not a key-value snapshot.");
        }

        var data = snapshot.ReadSection(SectionName).AsSpan();
        var count = BinaryPrimitives.ReadInt32LittleEndian(data);
        var offset = 4;
        State.Clear();
        for (var i = 0; i < count; i++)
        {
            var keyLength = data[offset];
            var key = Encoding.UTF8.GetString(data.Slice(offset + 1, keyLength));
            offset += 1 + keyLength;
            var valueLength = BinaryPrimitives.ReadInt32LittleEndian(data[offset..]);
            State[key] = data.Slice(offset + 4, valueLength).ToArray();
            offset += 4 + valueLength;
        }

        AppliedLsn = snapshot.CheckpointLsn;
    }

    /// <summary>A checkpoint callback that writes the state as it is now (the caller holds it still).</summary>
    public Func<SnapshotWriter, CancellationToken, ValueTask> SnapshotOf()
    {
        var image = Serialize(State);
        return (writer, _) =>
        {
            writer.WriteSection(SectionName, image);
            return ValueTask.CompletedTask;
        };
    }
}
