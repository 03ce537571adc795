extern alias api;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Theodore.Adapters.Embeddings;
using Theodore.Application.Companies;
using InputTypes = Theodore.Application.Embeddings.EmbeddingInputTypes;

namespace Theodore.Benchmarks;

/// <summary>
/// Issue 12's benchmark, in one process: the configured local model's raw throughput (the generator built by
/// <c>AddTheodoreEmbeddings</c>, as the API builds it, embedding the very texts the import embeds), alternating with
/// imports of the same synthetic companies through <c>POST /v1/companies/import</c> (NDJSON chunks, one after another,
/// as the CLI sends them) into the real API on a Kestrel socket (Native provider, a fresh temporary data directory per
/// import); then <c>GET /v1/companies/{id}/similar</c> and <c>POST /v1/companies/search</c> under a fixed number of
/// keep-alive clients for a fixed time. Client, server and model share the machine's cores.
/// </summary>
internal static class CompanyBenchmark
{
    private const double ImportRatioTarget = 0.8;
    private const double SimilarP95TargetMs = 5;
    private const double SearchP95TargetMs = 30;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        var args = Arguments.Parse(arguments.Span);
        var companies = SyntheticCompanies.Generate(args.Count, args.Seed);
        var texts = companies.Select(c => CompanyText.For(c.ToCompany())).ToArray();
        var chunks = NdjsonChunks(companies, args.Chunk);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"companies: {args.Count:N0} synthetic companies (seed {args.Seed}; embedded text ~{texts.Average(t => t.Length):0} chars, {companies.Select(c => c.Industry).Distinct(StringComparer.Ordinal).Count()} industries), model {args.Model}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; the API server, the HTTP clients and the raw model runs share these cores in one process"));

        if (args.Settings.Count > 0)
        {
            Console.WriteLine($"API settings added: {string.Join(", ", args.Settings.Select(s => $"{s.Key}={s.Value}"))}");
        }

        using var rawServices = RawGeneratorServices(args.Model);
        var generator = rawServices.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var local = rawServices.GetRequiredService<IOptions<LocalEmbeddingOptions>>().Value;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"raw generator: {generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId} via AddTheodoreEmbeddings, batch {local.BatchSize}, concurrency {local.MaxConcurrency}, intra-op threads {local.IntraOpThreads} (the API's defaults)"));
        await generator.GenerateAsync(texts.Take(64), InputTypes.DocumentOptions()).ConfigureAwait(false);

        var raws = new List<double>();
        var imports = new List<double>();
        var rawsPerCore = new List<double>();
        var importsPerCore = new List<double>();
        using var profile = args.Profile ? new Profile() : null;
        if (profile is not null)
        {
            Console.WriteLine("profile: ON (a timing wrapper around the API's generator and a listener on every storage span; figures are for the breakdown, not the criteria)");
        }

        ApiHost? host = null;
        try
        {
            for (var round = 1; round <= args.Rounds; round++)
            {
                var (raw, rawPerCore) = await RawAsync(generator, texts, $"raw {raws.Count + 1}").ConfigureAwait(false);
                raws.Add(raw);
                rawsPerCore.Add(rawPerCore);
                if (host is not null)
                {
                    await host.DisposeAsync().ConfigureAwait(false);
                }

                host = await ApiHost.StartAsync(args, profile).ConfigureAwait(false);
                profile?.Reset();
                var (import, importPerCore) = await ImportAsync(host, chunks, args, $"import {round}", profile).ConfigureAwait(false);
                imports.Add(import);
                importsPerCore.Add(importPerCore);
            }

            var (lastRaw, lastRawPerCore) = await RawAsync(generator, texts, $"raw {raws.Count + 1}").ConfigureAwait(false);
            raws.Add(lastRaw);
            rawsPerCore.Add(lastRawPerCore);
            var ratio = Median(imports) / Median(raws);
            var perCoreRatio = Median(importsPerCore) / Median(rawsPerCore);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import median {Median(imports):0.0} companies/s, raw median {Median(raws):0.0} texts/s: ratio {ratio:0.000} (target >= {ImportRatioTarget}) {Verdict(ratio >= ImportRatioTarget)}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"per core-second of this process (other load on the machine cancels out): import median {Median(importsPerCore):0.0}, raw median {Median(rawsPerCore):0.0}, ratio {perCoreRatio:0.000}"));

            var http = host!.Http;
            await SanityAsync(http, companies).ConfigureAwait(false);
            var ids = companies.Select(c => c.Id).ToArray();
            var searchBodies = SyntheticCompanies.Queries.Select(q => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>(StringComparer.Ordinal) { ["text"] = q, ["topK"] = 10 })).ToArray();
            HttpRequestMessage Similar(Random random) => new(HttpMethod.Get, new Uri($"/v1/companies/{ids[random.Next(ids.Length)]}/similar?topK=10", UriKind.Relative));
            HttpRequestMessage Search(Random random) => new(HttpMethod.Post, new Uri("/v1/companies/search", UriKind.Relative))
            {
                Content = new ByteArrayContent(searchBodies[random.Next(searchBodies.Length)]) { Headers = { ContentType = new("application/json") } },
            };
            HttpRequestMessage Live(Random random) => new(HttpMethod.Get, new Uri("/health/live", UriKind.Relative));

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"queries: {args.Clients} closed-loop HttpClient clients (keep-alive), {args.Warmup} s warm-up then {args.Duration} s each; {SyntheticCompanies.Queries.Count} search texts; latency as the client sees it"));
            var floor = await PhaseAsync(http, "GET /health/live (HTTP floor)", Live, args.Clients, args.Warmup, Math.Min(args.Duration, 5), 1, profile).ConfigureAwait(false);
            var similar = await PhaseAsync(http, "GET /similar?topK=10", Similar, args.Clients, args.Warmup, args.Duration, 2, profile).ConfigureAwait(false);
            var search = await PhaseAsync(http, "POST /search", Search, args.Clients, args.Warmup, args.Duration, 3, profile).ConfigureAwait(false);
            if (args.Solo > 0)
            {
                await PhaseAsync(http, "GET /similar, 1 client", Similar, 1, 1, args.Solo, 4, profile).ConfigureAwait(false);
                await PhaseAsync(http, "POST /search, 1 client", Search, 1, 1, args.Solo, 5, profile).ConfigureAwait(false);
            }

            await SingleTextAsync(generator).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary {args.Model}: raw {Median(raws):0.0} texts/s ({Join(raws)}), import {Median(imports):0.0} companies/s ({Join(imports)}), ratio {ratio:0.000} {Verdict(ratio >= ImportRatioTarget)}; per core-second ratio {perCoreRatio:0.000}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary {args.Model}: /similar {similar.RequestsPerSecond:0} req/s p95 {similar.P95:0.00} ms {Verdict(similar.P95 <= SimilarP95TargetMs)} (<= {SimilarP95TargetMs} ms); /search {search.RequestsPerSecond:0} req/s p95 {search.P95:0.00} ms {Verdict(search.P95 <= SearchP95TargetMs)} (<= {SearchP95TargetMs} ms); HTTP floor p95 {floor.P95:0.00} ms; {args.Clients} clients"));
            return ratio >= ImportRatioTarget && similar.P95 <= SimilarP95TargetMs && search.P95 <= SearchP95TargetMs && similar.Errors == 0 && search.Errors == 0 ? 0 : 1;
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The generator the API would build for <paramref name="model"/>: the same registrations, the defaults of <c>Embeddings:Local</c>.</summary>
    private static ServiceProvider RawGeneratorServices(string model)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "Local",
            ["Embeddings:Local:Model"] = model,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTheodoreEmbeddings(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Texts/s, and texts per second of this process's CPU time.</summary>
    private static async Task<(double Rate, double PerCore)> RawAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string[] texts, string label)
    {
        var cpu = CpuClock.Start();
        var started = Stopwatch.GetTimestamp();
        var embeddings = await generator.GenerateAsync(texts, InputTypes.DocumentOptions()).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (embeddings.Count != texts.Length)
        {
            throw new InvalidOperationException($"the generator returned {embeddings.Count} embeddings for {texts.Length} texts");
        }

        var rate = texts.Length / elapsed.TotalSeconds;
        var cores = cpu.Cores(elapsed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: {texts.Length:N0} texts in {elapsed.TotalSeconds:0.0} s = {rate:0.0} texts/s (process CPU {cores:0.00} cores = {rate / cores:0.0} per core-second; load average {LoadAverage()})"));
        return (rate, rate / cores);
    }

    /// <summary>Companies/s, and companies per second of this process's CPU time (server and client).</summary>
    private static async Task<(double Rate, double PerCore)> ImportAsync(ApiHost host, byte[][] chunks, Arguments args, string label, Profile? profile)
    {
        var http = host.Http;
        var created = 0;
        var failed = 0;
        var serverMs = 0.0;
        var cpu = CpuClock.Start();
        var started = Stopwatch.GetTimestamp();
        foreach (var chunk in chunks)
        {
            using var content = new ByteArrayContent(chunk);
            content.Headers.ContentType = new("application/x-ndjson");
            using var response = await http.PostAsync(new Uri("/v1/companies/import", UriKind.Relative), content).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"import: {(int)response.StatusCode} {body}");
            }

            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("summary", out var summary))
            {
                throw new InvalidOperationException($"import stopped part way: {body[^Math.Min(body.Length, 400)..]}");
            }

            created += summary.GetProperty("created").GetInt32();
            failed += summary.GetProperty("failed").GetInt32();
            serverMs += summary.GetProperty("durationMs").GetDouble();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var cores = cpu.Cores(elapsed);
        profile?.Print(label);
        if (created != args.Count || failed != 0)
        {
            throw new InvalidOperationException($"import created {created} and failed {failed} of {args.Count} companies");
        }

        var linked = await WaitUntilLinkedAsync(http).ConfigureAwait(false);
        var rate = args.Count / elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: {args.Count:N0} companies in {chunks.Length} NDJSON requests of {args.Chunk}, {elapsed.TotalSeconds:0.0} s = {rate:0.0} companies/s " +
            $"(server-reported {serverMs / 1000:0.0} s; process CPU {cores:0.00} cores = {rate / cores:0.0} per core-second; graph linked {linked.TotalSeconds:0.0} s after the last answer; load average {LoadAverage()})"));
        return (rate, rate / cores);
    }

    /// <summary>The Native engine links the graph after it acknowledges a write; the next measurement must not share the cores with it.</summary>
    private static async Task<TimeSpan> WaitUntilLinkedAsync(HttpClient http)
    {
        var started = Stopwatch.GetTimestamp();
        using var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri("/v1/companies/stats", UriKind.Relative)).ConfigureAwait(false));
        var index = stats.RootElement.GetProperty("index").GetString();
        while (true)
        {
            using var indexStats = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/v1/indexes/{index}/stats", UriKind.Relative)).ConfigureAwait(false));
            if (!indexStats.RootElement.TryGetProperty("unindexedVectors", out var u) || u.ValueKind != JsonValueKind.Number || u.GetInt64() == 0)
            {
                return Stopwatch.GetElapsedTime(started);
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>Both endpoints answer as expected before they are timed; two searches' top matches are shown as a check of the data.</summary>
    private static async Task SanityAsync(HttpClient http, SyntheticCompany[] companies)
    {
        using (var similar = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/v1/companies/{companies[0].Id}/similar?topK=10", UriKind.Relative)).ConfigureAwait(false)))
        {
            var matches = similar.RootElement.GetProperty("matches").GetArrayLength();
            if (matches != 10)
            {
                throw new InvalidOperationException($"/similar returned {matches} matches, not 10");
            }
        }

        foreach (var query in SyntheticCompanies.Queries.Take(2))
        {
            using var content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, object>(StringComparer.Ordinal) { ["text"] = query, ["topK"] = 3 }), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("/v1/companies/search", UriKind.Relative), content).ConfigureAwait(false);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            var top = json.RootElement.GetProperty("matches").EnumerateArray()
                .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.GetProperty("company").GetProperty("industry").GetString()} {m.GetProperty("score").GetDouble():0.00}"));
            Console.WriteLine($"  check: \"{query}\" -> {string.Join(", ", top)}");
        }
    }

    private static async Task<LoadResult> PhaseAsync(
        HttpClient http, string label, Func<Random, HttpRequestMessage> next, int clients, int warmupSeconds, int seconds, int seed, Profile? profile)
    {
        if (warmupSeconds > 0)
        {
            await DriveAsync(http, next, clients, TimeSpan.FromSeconds(warmupSeconds), seed * 1000).ConfigureAwait(false);
        }

        profile?.Reset();
        var result = await DriveAsync(http, next, clients, TimeSpan.FromSeconds(seconds), seed).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label,-34} {clients} client(s) {seconds} s: {result.RequestsPerSecond,7:0} req/s  p50 {result.P50,6:0.00}  p95 {result.P95,6:0.00}  p99 {result.P99,6:0.00}  max {result.Max,7:0.00} ms  " +
            $"errors {result.Errors}  process CPU {result.Cores:0.00} cores"));
        if (result.Errors > 0)
        {
            Console.WriteLine($"    first error: {result.FirstError}");
        }

        profile?.Print(label);

        return result;
    }

    /// <summary>Closed loop: each client sends its next request as soon as the previous answer is read, until the time is up.</summary>
    private static async Task<LoadResult> DriveAsync(HttpClient http, Func<Random, HttpRequestMessage> next, int clients, TimeSpan duration, int seed)
    {
        var latencies = new List<double>[clients];
        var errors = 0;
        string? firstError = null;
        var cpu = CpuClock.Start();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
#pragma warning disable CA5394 // benchmark choice of ids and texts, not security
            var random = new Random(seed + c);
#pragma warning restore CA5394
            var mine = new List<double>(16_384);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                using var request = next(random);
                var t0 = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (!response.IsSuccessStatusCode && Interlocked.Increment(ref errors) == 1)
                {
                    firstError = $"{(int)response.StatusCode} {Encoding.UTF8.GetString(body)}";
                }
            }

            latencies[c] = mine;
        })).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(
            all.Length / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), all.Length > 0 ? all[^1] : double.NaN,
            errors, firstError, cpu.Cores(elapsed));
    }

    /// <summary>One query text at a time through the raw generator, the server idle: the floor of a search's embedding.</summary>
    private static async Task SingleTextAsync(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        var queries = SyntheticCompanies.Queries;
        var options = InputTypes.QueryOptions();
        var times = new List<double>(queries.Count * 2);
        for (var i = 0; i < queries.Count * 2; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await generator.GenerateAsync([queries[i % queries.Count]], options).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        var sorted = times.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  one query text through the raw generator, one caller: p50 {Percentile(sorted, 0.5):0.00} ms, p95 {Percentile(sorted, 0.95):0.00} ms ({sorted.Length} calls)"));
    }

    private static byte[][] NdjsonChunks(SyntheticCompany[] companies, int chunk)
    {
        var chunks = new byte[(companies.Length + chunk - 1) / chunk][];
        for (var c = 0; c < chunks.Length; c++)
        {
            using var buffer = new MemoryStream();
            foreach (var company in companies.AsSpan(c * chunk, Math.Min(chunk, companies.Length - (c * chunk))))
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    company.WriteJson(json);
                }

                buffer.WriteByte((byte)'\n');
            }

            chunks[c] = buffer.ToArray();
        }

        return chunks;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Join(List<double> values) => string.Join(" / ", values.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)));

    private static string Verdict(bool met) => met ? "MET" : "NOT MET";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private readonly record struct CpuClock(TimeSpan Began)
    {
        public static CpuClock Start() => new(Now());

        /// <summary>Cores this process kept busy on average since the start (server, clients and model alike).</summary>
        public double Cores(TimeSpan wall) => (Now() - Began).TotalSeconds / wall.TotalSeconds;

        private static TimeSpan Now()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }
    }

    private sealed record LoadResult(double RequestsPerSecond, double P50, double P95, double P99, double Max, int Errors, string? FirstError, double Cores);

    /// <summary>The API in this process on a loopback Kestrel socket, Native provider in a temporary directory, rate limiting off.</summary>
    private sealed class ApiHost : IAsyncDisposable
    {
        private readonly Factory _factory;
        private readonly string _dataPath;

        private ApiHost(Factory factory, string dataPath, HttpClient http)
        {
            _factory = factory;
            _dataPath = dataPath;
            Http = http;
        }

        public HttpClient Http { get; }

        public static async Task<ApiHost> StartAsync(Arguments args, Profile? profile)
        {
            var dataPath = Directory.CreateTempSubdirectory("theodore-companies-bench-").FullName;
            var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["VectorStorage:Provider"] = "Native",
                ["VectorStorage:Native:DataPath"] = dataPath,
                ["Embeddings:Provider"] = "Local",
                ["Embeddings:Local:Model"] = args.Model,
                // 4 clients would pass the default 1,000 requests/s per client on /similar and measure the limiter's 429s
                ["Api:RateLimit:Enabled"] = "false",
                // the API logs no line per request at its defaults either; this keeps the start-up lines off the figures
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in args.Settings)
            {
                settings[key] = value;
            }

            // WebApplicationFactory finds the API's content root (its project directory, so its appsettings.json) through
            // the manifest Microsoft.AspNetCore.Mvc.Testing writes next to this tool, read from the working directory.
            Directory.SetCurrentDirectory(AppContext.BaseDirectory);
            var factory = new Factory(settings, profile);
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no address");
            var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(args.Clients, 2), PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
            var http = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };
            using (var live = await http.GetAsync(new Uri("/health/ready", UriKind.Relative)).ConfigureAwait(false))
            {
                if (!live.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"the API at {address} is not ready: {(int)live.StatusCode}");
                }
            }

            return new ApiHost(factory, dataPath, http);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _factory.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    private sealed class Factory(Dictionary<string, string?> settings, Profile? profile) : WebApplicationFactory<api::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            if (profile is not null)
            {
                builder.ConfigureServices(services =>
                {
                    var configured = services.Last(d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>));
                    services.Remove(configured);
                    services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
                        new TimingGenerator((IEmbeddingGenerator<string, Embedding<float>>)configured.ImplementationFactory!(sp), profile));
                });
            }

            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }

    /// <summary>The options; <c>--set Key=Value</c> (repeatable) adds an API setting, e.g. <c>--set Companies:BatchSize=256</c> to try a change.</summary>
    private sealed record Arguments(
        int Count, int Chunk, int Duration, int Clients, string Model, int Rounds, int Warmup, int Solo, int Seed, bool Profile, IReadOnlyList<KeyValuePair<string, string?>> Settings)
    {
        public static Arguments Parse(ReadOnlySpan<string> args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var settings = new List<KeyValuePair<string, string?>>();
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    throw new ArgumentException($"Unexpected argument '{args[i]}'.", nameof(args));
                }

                if (args[i] == "--set")
                {
                    var pair = args[++i].Split('=', 2);
                    settings.Add(new(pair[0], pair.Length == 2 ? pair[1] : null));
                }
                else
                {
                    values[args[i][2..]] = args[++i];
                }
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            var model = values.TryGetValue("model", out var m) ? m : LocalEmbeddingConstants.ArcticXsName;
            if (LocalModel.Find(model) is null)
            {
                throw new ArgumentException(LocalModel.UnknownMessage(model), nameof(args));
            }

            return new Arguments(
                Int("count", 10_000), Int("chunk", 500), Int("duration", 20), Int("clients", 4), model,
                Int("rounds", 2), Int("warmup", 5), Int("solo", 5), Int("seed", 12), values.TryGetValue("profile", out var p) && bool.Parse(p), settings);
        }
    }

    /// <summary>
    /// Where the server's time goes (<c>--profile true</c>): every call into the API's generator (texts, wall time,
    /// including the wait for a model slot) and every storage span (operation, duration), since the last reset.
    /// </summary>
    private sealed class Profile : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<(int Texts, double Ms)> _embeds = new();
        private readonly ConcurrentQueue<(string Operation, double Ms)> _storage = new();
        private long _started = Stopwatch.GetTimestamp();

        public Profile()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == Theodore.Infrastructure.Decorators.Telemetry.StorageInstrumentation.Name,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity => _storage.Enqueue((activity.GetTagItem("db.operation.name") as string ?? activity.DisplayName, activity.Duration.TotalMilliseconds)),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public void Embedded(int texts, double ms) => _embeds.Enqueue((texts, ms));

        public void Reset()
        {
            _embeds.Clear();
            _storage.Clear();
            _started = Stopwatch.GetTimestamp();
        }

        public void Print(string label)
        {
            var wall = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            var embeds = _embeds.ToArray();
            var embedMs = embeds.Sum(e => e.Ms);
            var sorted = embeds.Select(e => e.Ms).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    profile {label}: wall {wall / 1000:0.00} s; generator calls {embeds.Length} ({embeds.Sum(e => e.Texts)} texts) summing {embedMs / 1000:0.00} s = {embedMs / wall:P0} of wall, per call p50 {Percentile(sorted, 0.5):0.00} p95 {Percentile(sorted, 0.95):0.00} p99 {Percentile(sorted, 0.99):0.00} ms"));
            foreach (var group in _storage.ToArray().GroupBy(s => s.Operation, StringComparer.Ordinal).OrderByDescending(g => g.Sum(s => s.Ms)))
            {
                var times = group.Select(g => g.Ms).Order().ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"      storage {group.Key,-14} {times.Length,7} calls summing {times.Sum() / 1000,6:0.00} s = {times.Sum() / wall,4:P0} of wall, p50 {Percentile(times, 0.5):0.000} p95 {Percentile(times, 0.95):0.000} p99 {Percentile(times, 0.99):0.000} ms"));
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Times each call into the API's generator for <see cref="Profile"/>; otherwise passes everything through.</summary>
    private sealed class TimingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, Profile profile)
        : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
            profile.Embedded(result.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
    }
}
