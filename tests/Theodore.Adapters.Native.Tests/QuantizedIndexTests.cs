using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests;

/// <summary>An int8 index on the engine: its quantization reaches the engine, survives restarts and online rebuilds.</summary>
public sealed class QuantizedIndexTests
{
    private const int Dimension = 24;
    private static readonly IndexName Name = IndexName.Parse("quantized");
    private static readonly QuantizationOptions Int8 = new(VectorQuantization.Int8, 3);

    [Fact]
    public async Task The_quantization_reaches_the_engine_and_survives_a_restart_and_a_rebuild()
    {
        var directory = new TempDataDirectory();
        try
        {
            var records = Enumerable.Range(0, 800).Select(i => Record(i)).ToList();
            await using (var storage = await NativeVectorStorage.OpenAsync(directory.Options()))
            {
                Assert.Contains(VectorQuantization.Int8, storage.Capabilities.Quantizations);
                var created = await storage.CreateIndexAsync(new IndexDefinition(Name, Dimension, DistanceMetric.Cosine, quantization: Int8));
                Assert.Equal(Int8, created.Definition.Quantization);
                await storage.UpsertManyAsync(Name, records);
                Assert.Equal(Engine.VectorQuantization.Int8, storage.EngineOptionsOf(Name).Quantization);
                Assert.Equal(3, storage.EngineOptionsOf(Name).RerankFactor);
                Assert.Equal(Path.Combine(directory.Path, "vectors"), storage.EngineOptionsOf(Name).VectorFileDirectory);
                Assert.Empty(Directory.GetFiles(Path.Combine(directory.Path, "vectors")));
                await AssertFindsAsync(storage, records);

                await storage.StartRebuildAsync(Name, new HnswOptions(8, 64));
                await storage.WaitForRebuildAsync(Name);
                Assert.Equal(Int8, (await storage.DescribeIndexAsync(Name)).Definition.Quantization);
                Assert.Equal(Engine.VectorQuantization.Int8, storage.EngineOptionsOf(Name).Quantization);
            }

            await using (var reopened = await NativeVectorStorage.OpenAsync(directory.Options()))
            {
                var definition = (await reopened.DescribeIndexAsync(Name)).Definition;
                Assert.Equal(Int8, definition.Quantization);
                Assert.Equal(new HnswOptions(8, 64), definition.Hnsw);
                Assert.Equal(Engine.VectorQuantization.Int8, reopened.EngineOptionsOf(Name).Quantization);
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
