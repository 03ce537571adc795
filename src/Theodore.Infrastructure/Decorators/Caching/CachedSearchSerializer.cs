using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Theodore.Core.Domain;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>
/// A compact binary form of <see cref="CachedSearch"/> for both levels: ids as UTF-8, scores and values as raw floats
/// (so a hit returns the very bits the backend returned), metadata as its canonical JSON.
/// </summary>
internal sealed class CachedSearchSerializer : IHybridCacheSerializer<CachedSearch>
{
    private const byte Version = 1;

    public CachedSearch Deserialize(ReadOnlySequence<byte> source)
    {
        using var stream = new MemoryStream(source.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadByte() != Version)
        {
            throw new InvalidDataException("Unknown cached search format.");
        }

        var request = reader.ReadBytes(reader.ReadInt32());
        var approximate = reader.ReadBoolean();
        var took = TimeSpan.FromTicks(reader.ReadInt64());
        var count = reader.ReadInt32();
        var matches = new SearchMatch[count];
        for (var i = 0; i < count; i++)
        {
            var id = VectorId.FromStored(reader.ReadString());
            var score = reader.ReadSingle();
            float? distance = reader.ReadBoolean() ? reader.ReadSingle() : null;
            ReadOnlyMemory<float>? values = null;
            if (reader.ReadBoolean())
            {
                var floats = new float[reader.ReadInt32()];
                for (var j = 0; j < floats.Length; j++)
                {
                    floats[j] = reader.ReadSingle();
                }

                values = floats;
            }

            Metadata? metadata = null;
            if (reader.ReadBoolean())
            {
                using var json = JsonDocument.Parse(reader.ReadString());
                metadata = MetadataJson.Read(json.RootElement);
            }

            matches[i] = new SearchMatch(id, score, distance, values, metadata);
        }

        return new CachedSearch(request, new SearchResult(matches, approximate, took));
    }

    public void Serialize(CachedSearch value, IBufferWriter<byte> target)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(target);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(value.Request.Length);
            writer.Write(value.Request);
            var result = value.Result;
            writer.Write(result.Approximate);
            writer.Write(result.Took.Ticks);
            writer.Write(result.Matches.Count);
            foreach (var match in result.Matches)
            {
                writer.Write(match.Id.Value);
                writer.Write(match.Score);
                writer.Write(match.Distance.HasValue);
                if (match.Distance is { } distance)
                {
                    writer.Write(distance);
                }

                writer.Write(match.Values.HasValue);
                if (match.Values is { } values)
                {
                    writer.Write(values.Length);
                    foreach (var f in values.Span)
                    {
                        writer.Write(f);
                    }
                }

                writer.Write(match.Metadata is not null);
                if (match.Metadata is { } metadata)
                {
                    writer.Write(MetadataJson.ToJson(metadata));
                }
            }
        }

        target.Write(stream.GetBuffer().AsSpan(0, (int)stream.Length));
    }
}
