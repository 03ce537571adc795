using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>
/// The exact request a search result answers, as bytes: index, namespace, the query vector's exact bits (or the id of
/// a search by id) and every option that changes the result. The cache key is the index, its generation and the
/// SHA-256 of those bytes; the bytes themselves are stored with the entry and compared on every hit, so two requests
/// that share a hash can never share a result.
/// </summary>
internal static class SearchKey
{
    private const byte Version = 2;
    private const byte ByVector = 1;
    private const byte ById = 2;

    public static byte[] ForVector(IndexName index, ReadOnlySpan<float> vector, SearchOptions options) =>
        Build(index, options, ByVector, MemoryMarshal.AsBytes(vector), null);

    public static byte[] ForId(IndexName index, VectorId id, SearchOptions options) =>
        Build(index, options, ById, default, id.Value);

    /// <summary>The cache key: readable prefix for operators, then the generation and the request's hash.</summary>
    public static string CacheKey(IndexName index, string generation, byte[] request)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(request, hash);
        return string.Concat("search:", index.Value, ":", generation, ":", Convert.ToBase64String(hash));
    }

    private static byte[] Build(IndexName index, SearchOptions options, byte kind, ReadOnlySpan<byte> vector, string? id)
    {
        var writer = new ArrayBufferWriter<byte>(64 + vector.Length);
        Put(writer, Version);
        Put(writer, kind);
        PutString(writer, index.Value);
        PutString(writer, options.Namespace.Value);
        PutInt(writer, options.TopK);
        PutInt(writer, options.Offset);
        PutInt(writer, options.Ef ?? -1);
        PutInt(writer, options.RerankFactor ?? -1);
        Put(writer, (byte)((options.Exact ? 1 : 0) | (options.IncludeValues ? 2 : 0) | (options.IncludeMetadata ? 4 : 0) | (options.ScoreThreshold.HasValue ? 8 : 0)));
        PutInt(writer, options.ScoreThreshold is { } threshold ? BitConverter.SingleToInt32Bits(threshold) : 0);
        PutString(writer, options.Filter is null ? string.Empty : FilterJson.ToJson(options.Filter));
        if (id is not null)
        {
            PutString(writer, id);
        }
        else
        {
            PutInt(writer, vector.Length);
            writer.Write(vector);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static void Put(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void PutInt(ArrayBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void PutString(ArrayBufferWriter<byte> writer, string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        PutInt(writer, bytes);
        writer.Advance(Encoding.UTF8.GetBytes(value, writer.GetSpan(bytes)));
    }
}
