using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Theodore.Adapters.Native;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Engine.Durability;
using Theodore.Infrastructure;
using Theodore.Infrastructure.Decorators;
using Theodore.Infrastructure.Decorators.Telemetry;

namespace Theodore.Benchmarks;

/// <summary>
/// The decorators' cost over the native engine, side by side in one process: search throughput of the bare adapter and
/// of the full stack with the cache off (Telemetry -> ConcurrencyLimit -> Resilience -> Native, with a listener on every
/// span and instrument, as an exporter would be), alternating runs, medians; then a cached hit against a miss.
/// </summary>
internal static class DecoratorBenchmark
{
    private static readonly IndexName Index = IndexName.Parse("bench");

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        var count = Option(args, "--count", 20_000);
        var dimension = Option(args, "--dim", 384);
        var runs = Option(args, "--runs", 5);
        var seconds = Option(args, "--seconds", 3);
        var threads = Option(args, "--threads", Environment.ProcessorCount);
        var dataPath = Path.Combine(Path.GetTempPath(), "theodore-decorator-bench-" + Guid.NewGuid().ToString("N"));

        await using var native = await NativeVectorStorage.OpenAsync(new NativeOptions { DataPath = dataPath, Durability = DurabilityMode.None }).ConfigureAwait(false);
        try
        {
            var random = new Random(7);
            await LoadAsync(native, count, dimension, random).ConfigureAwait(false);
            var queries = Enumerable.Range(0, 1000).Select(_ => RandomVector(random, dimension)).ToArray();
            Console.WriteLine($"decorators: {count} x {dimension}-d cosine, native engine, {threads} threads, {runs} alternating runs of {seconds} s");

            using var listeners = new Listeners();
            await using var services = FullStack(native, caching: false);
            var stack = services.GetRequiredService<IVectorStorage>();
            Console.WriteLine($"stack: {Describe(stack)}");

            var bare = new List<double>();
            var decorated = new List<double>();
            await ThroughputAsync(native, queries, threads, 1).ConfigureAwait(false); // warm-up both paths once
            await ThroughputAsync(stack, queries, threads, 1).ConfigureAwait(false);
            for (var run = 0; run < runs; run++)
            {
                bare.Add(await ThroughputAsync(native, queries, threads, seconds).ConfigureAwait(false));
                decorated.Add(await ThroughputAsync(stack, queries, threads, seconds).ConfigureAwait(false));
                Console.WriteLine($"  run {run + 1}: bare {bare[^1]:N0} searches/s, full stack (cache off) {decorated[^1]:N0} searches/s");
            }

            var ratio = Median(decorated) / Median(bare);
            if (args.Span.Contains("--breakdown"))
            {
                foreach (var only in new[] { "Telemetry", "ConcurrencyLimit", "Resilience" })
                {
                    await using var single = FullStack(native, caching: false, only);
                    var layer = single.GetRequiredService<IVectorStorage>();
                    var alone = new List<double>();
                    var reference = new List<double>();
                    for (var run = 0; run < runs; run++)
                    {
                        reference.Add(await ThroughputAsync(native, queries, threads, seconds).ConfigureAwait(false));
                        alone.Add(await ThroughputAsync(layer, queries, threads, seconds).ConfigureAwait(false));
                    }

                    Console.WriteLine($"  {only} alone: {Median(alone):N0}/s vs bare {Median(reference):N0}/s, ratio {Median(alone) / Median(reference):0.000}");
                }
            }

            Console.WriteLine($"throughput median: bare {Median(bare):N0}/s, full stack {Median(decorated):N0}/s, ratio {ratio:0.000} (target >= 0.9); spans seen {listeners.Spans:N0}, measurements {listeners.Measurements:N0}");

            await using var cachedServices = FullStack(native, caching: true);
            var cached = cachedServices.GetRequiredService<IVectorStorage>();
            var cacheStatistics = cached.GetRequiredService<ICacheableVectorStorage>();
            Console.WriteLine($"stack: {Describe(cached)}");
            var hits = new List<double>();
            var misses = new List<double>();
            foreach (var query in queries)
            {
                await cached.SearchAsync(Index, query, new SearchOptions()).ConfigureAwait(false);
            }

            // warm both paths up (tiered JIT, PGO) before anything is measured
            await LatencyAsync(cached, queries, fresh: null).ConfigureAwait(false);
            await LatencyAsync(cached, queries, fresh: () => RandomVector(random, dimension)).ConfigureAwait(false);
            for (var run = 0; run < Math.Max(3, runs); run++)
            {
                hits.Add(await LatencyAsync(cached, queries, fresh: null).ConfigureAwait(false));
                misses.Add(await LatencyAsync(cached, queries, fresh: () => RandomVector(random, dimension)).ConfigureAwait(false));
                Console.WriteLine($"  run {run + 1}: cached hit {hits[^1]:N1} us, miss {misses[^1]:N1} us");
            }

            Console.WriteLine($"cache median: hit {Median(hits):N1} us, miss {Median(misses):N1} us, miss/hit {Median(misses) / Median(hits):0.0}x (target >= 10x); {cacheStatistics.GetStatistics()}");
            return ratio >= 0.9 && Median(misses) / Median(hits) >= 10 ? 0 : 1;
        }
        finally
        {
            await native.DisposeAsync().ConfigureAwait(false);
            if (Directory.Exists(dataPath))
            {
                Directory.Delete(dataPath, recursive: true);
            }
        }
    }

    /// <summary>The stack the API builds: the same registrations and configuration keys, every decorator on but the cache unless asked.</summary>
    private static ServiceProvider FullStack(NativeVectorStorage native, bool caching, string? only = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["VectorStorage:Provider"] = "Native",
            ["VectorStorage:Decorators:Telemetry:Enabled"] = only is null or "Telemetry" ? "true" : "false",
            ["VectorStorage:Decorators:ConcurrencyLimit:Enabled"] = only is null or "ConcurrencyLimit" ? "true" : "false",
            ["VectorStorage:Decorators:Caching:Enabled"] = caching ? "true" : "false",
            ["VectorStorage:Decorators:Caching:MaxBytes"] = (256L * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
            ["VectorStorage:Decorators:Resilience:Enabled"] = only is null or "Resilience" ? "true" : "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTheodoreVectorStorage(configuration, providers => providers.Add("Native", _ => { }, _ => native), static b => b.UseTheodoreDecorators());
        services.AddTheodoreDecorators();
        return services.BuildServiceProvider();
    }

    private static string Describe(IVectorStorage storage)
    {
        var layers = new List<string>();
        for (IVectorStorage? layer = storage; layer is not null; layer = (layer as DelegatingVectorStorage) is { } d ? Inner(d) : null)
        {
            layers.Add(layer.GetType().Name);
        }

        return string.Join(" -> ", layers);
    }

    private static IVectorStorage Inner(DelegatingVectorStorage layer) =>
        (IVectorStorage)typeof(DelegatingVectorStorage).GetProperty("Inner", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(layer)!;

    private static async Task LoadAsync(NativeVectorStorage native, int count, int dimension, Random random)
    {
        await native.CreateIndexAsync(new IndexDefinition(Index, dimension, DistanceMetric.Cosine)).ConfigureAwait(false);
        var batch = native.GetRequiredService<IBatchVectorStorage>();
        for (var start = 0; start < count; start += 500)
        {
            var records = Enumerable.Range(start, Math.Min(500, count - start))
                .Select(i => new VectorRecord(VectorId.Parse("v" + i.ToString(CultureInfo.InvariantCulture)), RandomVector(random, dimension)))
                .ToArray();
            await batch.UpsertManyAsync(Index, records).ConfigureAwait(false);
        }

        while ((await native.GetStatsAsync(Index).ConfigureAwait(false)).UnindexedVectors is > 0)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static async Task<double> ThroughputAsync(IVectorStorage storage, float[][] queries, int threads, int seconds)
    {
        long total = 0;
        var stop = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            long done = 0;
            var options = new SearchOptions();
            for (var i = t; stop.Elapsed < duration; i++)
            {
                await storage.SearchAsync(Index, queries[i % queries.Length], options).ConfigureAwait(false);
                done++;
            }

            Interlocked.Add(ref total, done);
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return total / stop.Elapsed.TotalSeconds;
    }

    /// <summary>Mean microseconds per search, one caller: the warm queries (hits) or a fresh vector each time (misses).</summary>
    private static async Task<double> LatencyAsync(IVectorStorage storage, float[][] queries, Func<float[]>? fresh)
    {
        const int Operations = 5_000;
        var vectors = fresh is null ? queries : Enumerable.Range(0, Operations).Select(_ => fresh()).ToArray();
        var options = new SearchOptions();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Operations; i++)
        {
            await storage.SearchAsync(Index, vectors[i % vectors.Length], options).ConfigureAwait(false);
        }

        return watch.Elapsed.TotalMicroseconds / Operations;
    }

    private static float[] RandomVector(Random random, int dimension)
    {
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
#pragma warning disable CA5394 // benchmark data, not security
            vector[i] = (float)(random.NextDouble() * 2 - 1);
#pragma warning restore CA5394
        }

        return vector;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(ReadOnlyMemory<string> args, string name, int fallback)
    {
        var span = args.Span;
        for (var i = 0; i < span.Length - 1; i++)
        {
            if (span[i] == name)
            {
                return int.Parse(span[i + 1], CultureInfo.InvariantCulture);
            }
        }

        return fallback;
    }

    /// <summary>Listens to every storage span and instrument as an exporter would, so their cost is in the figures.</summary>
    private sealed class Listeners : IDisposable
    {
        private readonly ActivityListener _activities;
        private readonly MeterListener _meters = new();
        private long _spans;
        private long _measurements;

        public Listeners()
        {
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == StorageInstrumentation.Name,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _ => Interlocked.Increment(ref _spans),
            };
            ActivitySource.AddActivityListener(_activities);
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == StorageInstrumentation.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.Start();
        }

        public long Spans => Interlocked.Read(ref _spans);

        public long Measurements => Interlocked.Read(ref _measurements);

        public void Dispose()
        {
            _activities.Dispose();
            _meters.Dispose();
        }
    }
}
