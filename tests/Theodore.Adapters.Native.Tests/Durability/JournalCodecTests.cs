using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Tests.Durability;

public sealed class JournalCodecTests
{
    private static readonly Metadata SomeMetadata = Metadata.Create([new("name", "acme"), new("n", 3), new("tags", MetadataValue.FromStrings(["x"]))]);

    [Fact]
    public void DecodeUpsert_of_an_encoded_batch_returns_the_same_records()
    {
        var at = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var records = new List<StoredRecord> { new("a", new float[] { 1.5f, -0f, float.Epsilon }, SomeMetadata), new("b", new float[] { 0, 1, 2 }, Metadata.Empty) };

        var (decodedAt, ns, decoded) = JournalCodec.DecodeUpsert(JournalCodec.EncodeUpsert(at, Namespace.Parse("n1"), records), "test");

        Assert.Equal(at, decodedAt);
        Assert.Equal("n1", ns.Value);
        Assert.Equal(records.Select(r => r.Id), decoded.Select(r => r.Id), StringComparer.Ordinal);
        Assert.True(DurableTestData.SameBytes(records[0].Values, decoded[0].Values));
        Assert.Equal(SomeMetadata, decoded[0].Metadata);
    }

    [Fact]
    public void Decode_of_damaged_payloads_throws_only_CorruptDataException()
    {
        var payload = JournalCodec.EncodeUpsert(DateTimeOffset.UnixEpoch, default, [new("id-1", new float[] { 1, 2, 3, 4 }, SomeMetadata)]);
        var random = new Random(11);
        for (var i = 0; i < 20_000; i++)
        {
            var damaged = Damage(payload, random);
            try
            {
                JournalCodec.DecodeUpsert(damaged, "test");
            }
            catch (CorruptDataException)
            {
                // The only acceptable failure.
            }
        }
    }

    [Fact]
    public void DecodeNamespaces_of_an_encoded_list_returns_the_names_in_order_and_damage_is_CorruptDataException()
    {
        var listed = new List<KeyValuePair<Namespace, IReadOnlyCollection<string>>> { new(default, ["tags"]), new(Namespace.Parse("n2"), []) };
        var encoded = JournalCodec.EncodeNamespaces(listed);

        var decoded = JournalCodec.DecodeNamespaces(encoded, "test");

        Assert.Equal(["", "n2"], decoded.Select(static pair => pair.Key.Value), StringComparer.Ordinal);
        Assert.Equal(["tags"], decoded[0].Value, StringComparer.Ordinal);
        Assert.Empty(decoded[1].Value);
        var random = new Random(12);
        for (var i = 0; i < 5_000; i++)
        {
            try
            {
                JournalCodec.DecodeNamespaces(Damage(encoded, random), "test");
            }
            catch (CorruptDataException)
            {
                // The only acceptable failure.
            }
        }
    }

    [Fact]
    public void DecodeSnapshotHeader_of_a_records_only_payload_is_read_with_its_version()
    {
        var definition = new IndexDefinition(IndexName.Parse("x"), 3, DistanceMetric.Cosine);
        var header = JournalCodec.EncodeSnapshotHeader(definition, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, JournalCodec.RecordsOnlyPayloadVersion);

        var (version, decoded, _, _) = JournalCodec.DecodeSnapshotHeader(header, "snap.bin");

        Assert.Equal(JournalCodec.RecordsOnlyPayloadVersion, version);
        Assert.Equal(definition, decoded);
    }

    [Theory]
    [InlineData(false, VectorQuantization.None)]
    [InlineData(true, VectorQuantization.None)]
    [InlineData(false, VectorQuantization.Int8)]
    [InlineData(true, VectorQuantization.Int8)]
    [InlineData(false, VectorQuantization.Int4)]
    [InlineData(true, VectorQuantization.Binary)]
    public void A_definition_with_or_without_hnsw_options_and_quantization_reads_back_equal(bool hnsw, VectorQuantization kind)
    {
        bool quantized = kind != VectorQuantization.None;
        var definition = new IndexDefinition(
            IndexName.Parse("x"), 3, DistanceMetric.Euclidean, hnsw: hnsw ? new HnswOptions(24, 150) : null,
            quantization: quantized ? new QuantizationOptions(kind, 6) : null);
        var header = JournalCodec.EncodeSnapshotHeader(definition, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var (_, decoded, _, _) = JournalCodec.DecodeSnapshotHeader(header, "snap.bin");

        Assert.Equal(definition, decoded);
        Assert.Equal(quantized ? kind : null, decoded.Quantization?.Kind);
        Assert.Equal(quantized ? 6 : null, decoded.Quantization?.RerankFactor);
    }

    [Fact]
    public void DecodeSnapshotHeader_of_a_newer_payload_version_is_refused()
    {
        var header = JournalCodec.EncodeSnapshotHeader(new IndexDefinition(IndexName.Parse("x"), 3, DistanceMetric.Cosine), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        header[0] = (byte)(JournalCodec.SnapshotPayloadVersion + 1);

        var error = Assert.Throws<UnsupportedFormatVersionException>(() => JournalCodec.DecodeSnapshotHeader(header, "snap.bin"));

        Assert.Contains("snap.bin", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Damage(byte[] payload, Random random)
    {
        var copy = payload.ToArray();
        switch (random.Next(4))
        {
            case 0:
                return copy[..random.Next(copy.Length)];
            case 1:
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 2:
                // A length or count field set to an extreme value.
                var at = random.Next(copy.Length - 4);
                BitConverter.TryWriteBytes(copy.AsSpan(at), random.Next(2) == 0 ? int.MaxValue : -1);
                return copy;
            default:
                random.NextBytes(copy.AsSpan(random.Next(copy.Length)));
                return copy;
        }
    }
}
