using System.Buffers.Binary;
using System.Text;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Durability;

/// <summary>One operation of the fake state machine; its payload carries a unique id so a replayed record can be traced.</summary>
internal sealed record KeyValueOp(int Id, byte Kind, string Key, byte[] Value)
{
    public const byte Put = 1;
    public const byte Delete = 2;

    public static KeyValueOp Decode(WalRecord record)
    {
        var span = record.Payload.Span;
        var id = BinaryPrimitives.ReadInt32LittleEndian(span);
        var keyLength = span[4];
        var key = Encoding.UTF8.GetString(span.Slice(5, keyLength));
        return new KeyValueOp(id, record.Type, key, span[(5 + keyLength)..].ToArray());
    }

    public static KeyValueOp Random(Random random, int id, int keySpace)
    {
        var key = "k" + random.Next(keySpace);
        if (random.Next(6) == 0)
        {
            return new KeyValueOp(id, Delete, key, []);
        }

        var value = new byte[random.Next(0, 48)];
        random.NextBytes(value);
        return new KeyValueOp(id, Put, key, value);
    }

    public byte[] Encode()
    {
        var key = Encoding.UTF8.GetBytes(Key);
        var payload = new byte[5 + key.Length + Value.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, Id);
        payload[4] = (byte)key.Length;
        key.CopyTo(payload, 5);
        Value.CopyTo(payload, 5 + key.Length);
        return payload;
    }
}
