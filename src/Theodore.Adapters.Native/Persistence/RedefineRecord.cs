using Theodore.Core.Domain;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// Log record 10, Redefine: an online rebuild swapped in a graph built with new HNSW options (ADR 0017). Its payload
/// is a Define payload (the whole definition, the time of the swap); only the HNSW options may differ from the
/// definition before it. Once it is durable the index runs on the new options, after a restart too.
/// </summary>
internal static class RedefineRecord
{
    public const byte Type = 10;

    public static byte[] Encode(IndexDefinition definition, DateTimeOffset at) => JournalCodec.EncodeDefine(definition, at);

    /// <summary>The new definition; <see cref="CorruptDataException"/> when it changes more than the HNSW options of <paramref name="current"/>.</summary>
    public static IndexDefinition Decode(ReadOnlySpan<byte> payload, IndexDefinition current, string source)
    {
        var (definition, _) = JournalCodec.DecodeDefine(payload, source);
        if (WithHnsw(current, definition.Hnsw) != definition)
        {
            throw new CorruptDataException(source, 0, "a redefinition that changes more than the HNSW options");
        }

        return definition;
    }

    public static IndexDefinition WithHnsw(IndexDefinition definition, HnswOptions? hnsw) =>
        new(definition.Name, definition.Dimension, definition.Metric, definition.Embedding, hnsw, definition.Quantization);
}
