using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests;

/// <summary>
/// A quantized index on the engine (int8, int4, binary): its quantization reaches the engine, survives restarts and
/// online rebuilds, and the reopened index passes the integrity check.
/// </summary>
public sealed class QuantizedIndexTests
{
    private const int Dimension = 24;
    private static readonly IndexName Name = IndexName.Parse("quantized");

    [Theory]
    [InlineData(VectorQuantization.Int8, 3)]
    [InlineData(VectorQuantization.Int4, 3)]
    [InlineData(VectorQuantization.Binary, 3)]
    [InlineData(VectorQuantization.Int4, null)]
    [InlineData(VectorQuantization.Binary, null)]
    public async Task The_quantization_reaches_the_engine_and_survives_a_restart_and_a_rebuild(VectorQuantization kind, int? rerank)
    {
        var quantization = new QuantizationOptions(kind, rerank);
        var engineKind = (Engine.VectorQuantization)(int)kind;
        var directory = new TempDataDirectory();
        try
        {
            var records = Enumerable.Range(0, 800).Select(i => Record(i)).ToList();
            await using (var storage = await NativeVectorStorage.OpenAsync(directory.Options()))
            {
                Assert.Contains(kind, storage.Capabilities.Quantizations);
                var created = await storage.CreateIndexAsync(new IndexDefinition(Name, Dimension, DistanceMetric.Cosine, quantization: quantization));
                Assert.Equal(quantization, created.Definition.Quantization);
                await storage.UpsertManyAsync(Name, records);
                Assert.Equal(engineKind, storage.EngineOptionsOf(Name).Quantization);
                Assert.Equal(rerank ?? Engine.VectorIndexOptions.DefaultRerankFactorFor(engineKind), storage.EngineOptionsOf(Name).RerankFactor);
                Assert.Equal(QuantizationOptions.DefaultRerankFactorFor(kind), Engine.VectorIndexOptions.DefaultRerankFactorFor(engineKind));
                Assert.Equal(Path.Combine(directory.Path, "vectors"), storage.EngineOptionsOf(Name).VectorFileDirectory);
                Assert.Empty(Directory.GetFiles(Path.Combine(directory.Path, "vectors")));
                await AssertFindsAsync(storage, records);

                await storage.StartRebuildAsync(Name, new HnswOptions(8, 64));
                await storage.WaitForRebuildAsync(Name);
                Assert.Equal(quantization, (await storage.DescribeIndexAsync(Name)).Definition.Quantization);
                Assert.Equal(engineKind, storage.EngineOptionsOf(Name).Quantization);
                await AssertFindsAsync(storage, records);
            }

            await using (var reopened = await NativeVectorStorage.OpenAsync(directory.Options()))
            {
                var definition = (await reopened.DescribeIndexAsync(Name)).Definition;
                Assert.Equal(quantization, definition.Quantization);
                Assert.Equal(new HnswOptions(8, 64), definition.Hnsw);
                Assert.Equal(engineKind, reopened.EngineOptionsOf(Name).Quantization);
                Assert.Equal(quantization.RerankFactor, reopened.EngineOptionsOf(Name).RerankFactor);
                await AssertFindsAsync(reopened, records);
                Assert.True((await reopened.CheckIntegrityAsync(Name)).IsHealthy);
            }
        }
        finally
        {
            directory.Delete();
        }
    }

    private static async Task AssertFindsAsync(NativeVectorStorage storage, List<VectorRecord> records)
    {
        foreach (var record in records.Where((_, i) => i % 40 == 0))
        {
            var result = await storage.SearchAsync(Name, record.Values, new SearchOptions { TopK = 3 });
            Assert.Equal(record.Id, result.Matches[0].Id);
            Assert.Equal(1f, result.Matches[0].Score, 4);
        }
    }

    private static VectorRecord Record(int i)
    {
        var random = new Random(i);
        var values = new float[Dimension];
        for (int d = 0; d < Dimension; d++)
        {
            values[d] = (float)(random.NextDouble() - 0.5);
        }

        return new VectorRecord(VectorId.Parse($"r{i}"), values);
    }
}
