using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Theodore.Benchmarks;

/// <summary>
/// The API under load, as a user sees it: ingest a dataset through <c>POST .../vectors/upsert</c>, wait until the graph
/// has linked every vector, check recall@10 through <c>POST .../query</c>, then drive that endpoint with wrk (many
/// connections, the query vectors in turn) and print requests/s and the latency percentiles. The server is started
/// separately (see README), so two builds can be measured side by side against the same client.
/// </summary>
internal static partial class HttpLoadBenchmark
{
    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        var args = Arguments.Parse(arguments.Span);
        using var http = new HttpClient { BaseAddress = new Uri(args.Url), Timeout = TimeSpan.FromMinutes(5) };
        var (queries, queryCount, dim) = VecsFile.Read<float>(Path.Combine(args.Data, args.Name + ".query.fvecs"));
        var indexPath = $"/v1/indexes/{args.Index}";

        if (!args.SkipIngest)
        {
            var (baseVectors, rows, _) = VecsFile.Read<float>(Path.Combine(args.Data, args.Name + ".base.fvecs"));
            var count = Math.Min(rows, args.Count);
            await IngestAsync(http, args, indexPath, baseVectors, count, dim).ConfigureAwait(false);
        }

        var (truth, _, truthK) = VecsFile.Read<int>(Path.Combine(args.Data, args.Name + ".groundtruth.ivecs"));
        var recall = await RecallAsync(http, indexPath, queries, queryCount, dim, truth, truthK).ConfigureAwait(false);
        Console.WriteLine($"recall@10 through HTTP: {recall:0.0000} ({queryCount} queries)");

        if (args.Duration > 0)
        {
            for (var run = 1; run <= args.Runs; run++)
            {
                var load = RunWrk(args, indexPath, queries, queryCount, dim);
                Console.WriteLine(
                    $"search load {run}/{args.Runs}: {load.RequestsPerSecond:0} requests/s, p50 {load.P50:0.00} ms, p90 {load.P90:0.00} ms, " +
                    $"p99 {load.P99:0.00} ms ({args.Connections} connections, {args.Duration} s, non-2xx {load.Errors})");
                if (load.Errors > 0)
                {
                    Console.Error.WriteLine("some requests failed: the figures above do not measure successful searches (is the rate limiter on?)");
                    return 1;
                }
            }
        }

        return 0;
    }

    private static async Task IngestAsync(HttpClient http, Arguments args, string indexPath, float[] vectors, int count, int dim)
    {
        using (var deleted = await http.DeleteAsync(new Uri(indexPath, UriKind.Relative)).ConfigureAwait(false))
        {
            if (deleted.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound))
            {
                throw new InvalidOperationException($"DELETE {indexPath}: {(int)deleted.StatusCode}");
            }
        }

        using (var created = await http.PostAsJsonAsync(new Uri("/v1/indexes", UriKind.Relative), new { name = args.Index, dimension = dim, metric = args.Metric }).ConfigureAwait(false))
        {
            await EnsureAsync(created, "create index").ConfigureAwait(false);
        }

        var batches = (count + args.Batch - 1) / args.Batch;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, args.Writers).Select(async _ =>
        {
            int batch;
            while ((batch = Interlocked.Increment(ref next)) < batches)
            {
                var from = batch * args.Batch;
                var to = Math.Min(count, from + args.Batch);
                using var content = new ByteArrayContent(UpsertBody(vectors, from, to, dim));
                content.Headers.ContentType = new("application/json");
                using var response = await http.PostAsync(new Uri(indexPath + "/vectors/upsert", UriKind.Relative), content).ConfigureAwait(false);
                await EnsureAsync(response, "upsert").ConfigureAwait(false);
            }
        });
        await Task.WhenAll(writers).ConfigureAwait(false);
        var ingest = clock.Elapsed;
        Console.WriteLine(
            $"ingest through HTTP: {count} vectors in {ingest.TotalSeconds:0.0} s = {count / ingest.TotalSeconds:0} vectors/s " +
            $"({args.Writers} writers, {args.Batch}-vector batches)");

        while (true)
        {
            using var stats = await http.GetAsync(new Uri(indexPath + "/stats", UriKind.Relative)).ConfigureAwait(false);
            await EnsureAsync(stats, "stats").ConfigureAwait(false);
            using var json = JsonDocument.Parse(await stats.Content.ReadAsStringAsync().ConfigureAwait(false));
            var unindexed = json.RootElement.TryGetProperty("unindexedVectors", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetInt64() : 0;
            if (unindexed == 0)
            {
                break;
            }

            await Task.Delay(500).ConfigureAwait(false);
        }

        Console.WriteLine($"graph linked {clock.Elapsed.TotalSeconds - ingest.TotalSeconds:0.0} s after the last acknowledged write");
    }

    private static async Task<double> RecallAsync(HttpClient http, string indexPath, float[] queries, int queryCount, int dim, int[] truth, int truthK)
    {
        const int K = 10;
        var found = 0;
        for (var q = 0; q < queryCount; q++)
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(QueryBody(queries, q, dim)));
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync(new Uri(indexPath + "/query", UriKind.Relative), content).ConfigureAwait(false);
            await EnsureAsync(response, "query").ConfigureAwait(false);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            var expected = new HashSet<int>(truth.AsSpan(q * truthK, K).ToArray());
            foreach (var match in json.RootElement.GetProperty("matches").EnumerateArray())
            {
                if (expected.Contains(int.Parse(match.GetProperty("id").GetString()!, CultureInfo.InvariantCulture)))
                {
                    found++;
                }
            }
        }

        return found / (double)(queryCount * K);
    }

    private static LoadResult RunWrk(Arguments args, string indexPath, float[] queries, int queryCount, int dim)
    {
        var directory = Directory.CreateTempSubdirectory("theodore-http-load-");
        try
        {
            var bodies = Path.Combine(directory.FullName, "bodies.txt");
            File.WriteAllLines(bodies, Enumerable.Range(0, queryCount).Select(q => QueryBody(queries, q, dim)));
            var script = Path.Combine(directory.FullName, "query.lua");
            File.WriteAllText(script, WrkScript);

            var start = new ProcessStartInfo("wrk")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                ArgumentList =
                {
                    "-t", args.WrkThreads.ToString(CultureInfo.InvariantCulture),
                    "-c", args.Connections.ToString(CultureInfo.InvariantCulture),
                    "-d", args.Duration.ToString(CultureInfo.InvariantCulture) + "s",
                    "--latency", "-s", script,
                    args.Url.TrimEnd('/') + indexPath + "/query", "--", bodies,
                },
            };
            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
            var output = wrk.StandardOutput.ReadToEnd();
            wrk.WaitForExit();
            if (wrk.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk exited with {wrk.ExitCode}: {output}");
            }

            return new LoadResult(
                double.Parse(RequestsPerSecond().Match(output).Groups["value"].Value, CultureInfo.InvariantCulture),
                Percentile(output, "50"),
                Percentile(output, "90"),
                Percentile(output, "99"),
                NonSuccess().Match(output) is { Success: true } m ? int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture) : 0);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // wrk prints "    99%   10.62ms" (us, ms or s)
    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}(?:\.000)?%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw new InvalidOperationException($"no {percent}% line in wrk's output: {output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static byte[] UpsertBody(float[] vectors, int from, int to, int dim)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("vectors");
            for (var row = from; row < to; row++)
            {
                json.WriteStartObject();
                json.WriteString("id", row.ToString(CultureInfo.InvariantCulture));
                json.WriteStartArray("values");
                foreach (var v in vectors.AsSpan(row * dim, dim))
                {
                    json.WriteNumberValue(v);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string QueryBody(float[] queries, int q, int dim)
    {
        var values = string.Join(',', queries.AsSpan(q * dim, dim).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return $$"""{"vector":[{{values}}],"topK":10}""";
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {body}");
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+(?<value>[0-9.]+)", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(?<value>[0-9]+)", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NonSuccess();

    // Each connection starts at a different query and walks the file in turn; bodies are read once per thread.
    private const string WrkScript = """
        local bodies = {}
        local next_body = 0
        init = function(args)
          for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
          next_body = math.random(#bodies)
        end
        request = function()
          next_body = next_body % #bodies + 1
          return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, bodies[next_body])
        end
        """;

    private sealed record LoadResult(double RequestsPerSecond, double P50, double P90, double P99, int Errors);

    private sealed record Arguments(
        string Url, string Data, string Name, string Index, string Metric, int Count, int Writers, int Batch,
        int Connections, int WrkThreads, int Duration, int Runs, bool SkipIngest)
    {
        public static Arguments Parse(ReadOnlySpan<string> args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var skipIngest = false;
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] == "--skip-ingest")
                {
                    skipIngest = true;
                }
                else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    values[args[i][2..]] = args[++i];
                }
                else
                {
                    throw new ArgumentException($"Unexpected argument '{args[i]}'.", nameof(args));
                }
            }

            string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
            int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
            var name = values.TryGetValue("name", out var n) ? n : throw new ArgumentException("--name is required.", nameof(args));
            var data = values.TryGetValue("data", out var d) ? d : throw new ArgumentException("--data is required.", nameof(args));
            var metric = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, name + ".json"))).RootElement.GetProperty("metric").GetString() == "angular"
                ? "cosine"
                : "euclidean";
            return new Arguments(
                Get("url", "http://localhost:5080"), data, name, Get("index", "http-load"), metric, Int("count", int.MaxValue),
                Int("writers", 4), Int("batch", 500), Int("connections", 16), Int("wrk-threads", 2), Int("duration", 10), Int("runs", 1), skipIngest);
        }
    }
}
