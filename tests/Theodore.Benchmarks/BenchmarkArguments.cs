using System.Globalization;
using Theodore.Engine;

namespace Theodore.Benchmarks;

internal sealed record BenchmarkArguments(
    string DataDirectory,
    string Name,
    int M,
    int EfConstruction,
    int Threads,
    int[] Efs,
    double? FilterSelectivity,
    bool Mixed,
    int WriterRate,
    double Seconds,
    double? DeleteFraction,
    string? IndexCache,
    int Passes,
    VectorQuantization Quantization,
    int RerankFactor,
    string? VectorFiles,
    int[]? RerankFactors = null,
    string[]? UsearchKinds = null)
{
    public static BenchmarkArguments Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool mixed = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--mixed")
            {
                mixed = true;
                continue;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.", nameof(args));
            }

            values[args[i][2..]] = args[++i];
        }

        string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        return new BenchmarkArguments(
            values.TryGetValue("data", out var data) ? data : throw new ArgumentException("--data is required.", nameof(args)),
            values.TryGetValue("name", out var name) ? name : throw new ArgumentException("--name is required.", nameof(args)),
            Int("m", 16),
            Int("ef-construction", 200),
            Int("threads", 2),
            Get("ef", "10,20,40,80,160,320").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            values.TryGetValue("filter-selectivity", out var sel) ? double.Parse(sel, CultureInfo.InvariantCulture) : null,
            mixed,
            Int("writer-rate", 1100),
            double.Parse(Get("seconds", "5"), CultureInfo.InvariantCulture),
            values.TryGetValue("delete-fraction", out var del) ? double.Parse(del, CultureInfo.InvariantCulture) : null,
            values.TryGetValue("index-cache", out var cache) ? cache : null,
            Int("passes", 1),
            Enum.Parse<VectorQuantization>(Get("quantization", "none"), ignoreCase: true),
            Int("rerank-factor", VectorIndexOptions.DefaultRerankFactorFor(Enum.Parse<VectorQuantization>(Get("quantization", "none"), ignoreCase: true))),
            values.TryGetValue("vector-files", out var files) ? files : null,
            values.TryGetValue("rerank-factors", out var factors) ? factors.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : null,
            Get("kinds", "f32,f16,i8").Split(','));
    }
}
