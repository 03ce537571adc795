using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Theodore.Api.Tests.Endpoints;

namespace Theodore.Api.Tests.Companies;

/// <summary>
/// Changing models: the start refuses an index made by another model, and a re-embed switches to a new index with
/// searches and writes running throughout, none failing or coming back empty, nothing written lost. On the Native
/// engine in a temporary directory, so the switch is shown to survive a restart.
/// </summary>
public sealed class ReembedTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("theodore-reembed-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task The_api_does_not_start_on_an_index_made_by_another_model()
    {
        using (var first = new CompanyApi("hash-a", _data))
        using (var client = first.CreateClient())
        {
            await (await client.PutJsonAsync("/v1/companies/acme", CompanyEndpointsTests.Company("Acme", "payroll"))).ReadJsonAsync();
        }

        using var second = new CompanyApi("hash-b", _data);
        var error = Record.Exception(() => second.CreateClient());
        Assert.NotNull(error);
        // The whole text on failure: xUnit's Contains shows 40 characters, and one CI run (44de537, run 4) failed here
        // with "System.InvalidOperationException: The nat..." (the native storage could not open its data directory
        // after the first API's disposal), a cause not found yet.
        var message = error.ToString();
        foreach (var expected in new[] { "'hash-a'", "'hash-b'", "re-embed" })
        {
            Assert.True(message.Contains(expected, StringComparison.Ordinal), $"expected {expected} in: {message}");
        }
    }

    [Fact]
    public async Task A_reembed_switches_models_while_searches_and_writes_go_on()
    {
        const int Companies = 600;
        using (var api = new CompanyApi("hash-a", _data))
        {
            // the re-embed is held after its first batch until the traffic has run against it, so the overlap never depends on timing
            var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            api.Generators.HoldBatchesAfterFirst = resume.Task;
            using var client = api.CreateClient();
            var body = string.Join("\n", Enumerable.Range(0, Companies).Select(i => JsonSerializer.Serialize(new { id = $"c{i}", name = $"Company {i}", description = Description(i), industry = i % 2 == 0 ? "software" : "logistics" })));
            var import = await (await client.PostAsync(new Uri("/v1/companies/import", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/x-ndjson"))).ReadJsonAsync();
            Assert.Equal(Companies, import.GetProperty("summary").GetProperty("created").GetInt32());

            using var stop = new CancellationTokenSource();
            var failures = new ConcurrentQueue<string>();
            var reads = 0;
            var written = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            async Task SearchAsync()
            {
                while (!stop.IsCancellationRequested)
                {
                    using var search = await client.PostJsonAsync("/v1/companies/search", """{"text":"freight and trucking","topK":5}""");
                    using var similar = await client.GetAsync($"/v1/companies/c{reads % Companies}/similar?topK=5");
                    foreach (var response in new[] { search, similar })
                    {
                        var text = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode != HttpStatusCode.OK || JsonDocument.Parse(text).RootElement.GetProperty("matches").GetArrayLength() == 0)
                        {
                            failures.Enqueue($"{(int)response.StatusCode} {text}");
                        }
                    }

                    Interlocked.Increment(ref reads);
                }
            }

            async Task WriteAsync()
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    // new companies and new versions of old ones, each acknowledged before the next
                    var id = i % 2 == 0 ? $"w{i}" : $"c{i % Companies}";
                    var name = $"Written {i}";
                    using var response = await client.PutJsonAsync($"/v1/companies/{id}", JsonSerializer.Serialize(new { name, description = Description(i) + " revised", industry = "software" }));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        written[id] = name;
                    }
                    else
                    {
                        failures.Enqueue($"write {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }

            var traffic = new[] { SearchAsync(), SearchAsync(), WriteAsync() };
            var started = await client.PostJsonAsync("/v1/companies/reembed", """{"provider":"Test","model":"hash-b"}""");
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var conflict = await client.PostJsonAsync("/v1/companies/reembed", """{"provider":"Test","model":"hash-c"}""");
            await conflict.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");

            var readsAtStart = Volatile.Read(ref reads);
            var writtenAtStart = written.Count;
            var held = Stopwatch.StartNew();
            JsonElement status;
            do
            {
                await Task.Delay(20);
                status = await (await client.GetAsync("/v1/companies/reembed")).ReadJsonAsync();
            }
            while ((status.GetProperty("processed").GetInt64() == 0 || Volatile.Read(ref reads) - readsAtStart <= 10 || written.Count - writtenAtStart <= 5) && held.Elapsed < TimeSpan.FromSeconds(30));

            var progress = status.GetProperty("processed").GetInt64();
            var readsWhileRunning = Volatile.Read(ref reads) - readsAtStart;
            var writesWhileRunning = written.Count - writtenAtStart;
            Assert.Equal("running", status.GetProperty("state").GetString());
            resume.SetResult();
            do
            {
                await Task.Delay(50);
                status = await (await client.GetAsync("/v1/companies/reembed")).ReadJsonAsync();
            }
            while (status.GetProperty("state").GetString() == "running");

            await Task.Delay(300); // traffic on the new index too
            await stop.CancelAsync();
            await Task.WhenAll(traffic);

            Assert.Equal("completed", status.GetProperty("state").GetString());
            Assert.Empty(failures);
            Assert.True(progress is > 0 and < Companies, $"progress was reported while running ({progress})");
            Assert.True(readsWhileRunning > 10, $"searches ran during the re-embed ({readsWhileRunning})");
            Assert.True(writesWhileRunning > 5, $"writes ran during the re-embed ({writesWhileRunning})");
            Assert.Equal("hash-a", status.GetProperty("fromModel").GetProperty("model").GetString());
            Assert.Equal("hash-b", status.GetProperty("toModel").GetProperty("model").GetString());

            var stats = await (await client.GetAsync("/v1/companies/stats")).ReadJsonAsync();
            Assert.Equal("companies-r2", stats.GetProperty("index").GetString());
            Assert.Equal("hash-b", stats.GetProperty("embedding").GetProperty("model").GetString());
            Assert.Equal(Companies + written.Keys.Count(k => k[0] == 'w'), stats.GetProperty("count").GetInt64());
            foreach (var (id, name) in written)
            {
                Assert.Equal(name, (await (await client.GetAsync($"/v1/companies/{id}")).ReadJsonAsync()).GetProperty("name").GetString());
            }

            var indexes = (await (await client.GetAsync("/v1/indexes")).ReadJsonAsync()).GetProperty("indexes").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToArray();
            Assert.DoesNotContain("companies", indexes); // retired once its last reader was done
        }

        // the switch is durable: a restart on the new model serves the new index; on the old model it refuses to start
        using (var restarted = new CompanyApi("hash-b", _data))
        using (var client = restarted.CreateClient())
        {
            var stats = await (await client.GetAsync("/v1/companies/stats")).ReadJsonAsync();
            Assert.Equal("companies-r2", stats.GetProperty("index").GetString());
        }

        using var old = new CompanyApi("hash-a", _data);
        Assert.Contains("'hash-b'", Record.Exception(() => old.CreateClient())?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_company_written_while_its_page_is_embedded_keeps_the_write()
    {
        const int Companies = 40; // two pages of the re-embed's listing (32 a page)
        using var api = new CompanyApi("hash-a", _data);
        using var client = api.CreateClient();
        var body = string.Join("\n", Enumerable.Range(0, Companies).Select(i => JsonSerializer.Serialize(new { id = $"c{i}", name = $"Company {i}", description = Description(i) })));
        await (await client.PostAsync(new Uri("/v1/companies/import", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/x-ndjson"))).ReadJsonAsync();

        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        api.Generators.HoldBatchesAfterFirst = resume.Task;
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/v1/companies/reembed", """{"provider":"Test","model":"hash-b"}""")).StatusCode);

        // the second page has been read and its model call is held: every write now lands between its read and its copy
        var waited = Stopwatch.StartNew();
        while (api.Generators.BatchesHeld == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, api.Generators.BatchesHeld);
        for (var i = 0; i < Companies; i++)
        {
            await (await client.PutJsonAsync($"/v1/companies/c{i}", JsonSerializer.Serialize(new { name = $"Renamed {i}", description = Description(i + 1) }))).ReadJsonAsync();
        }

        resume.SetResult();
        JsonElement status;
        do
        {
            await Task.Delay(20);
            status = await (await client.GetAsync("/v1/companies/reembed")).ReadJsonAsync();
        }
        while (status.GetProperty("state").GetString() == "running");

        Assert.Equal("completed", status.GetProperty("state").GetString());
        for (var i = 0; i < Companies; i++)
        {
            Assert.Equal($"Renamed {i}", (await (await client.GetAsync($"/v1/companies/c{i}")).ReadJsonAsync()).GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task A_reembed_with_an_unknown_provider_is_refused_and_changes_nothing()
    {
        using var api = new CompanyApi("hash-a", _data);
        using var client = api.CreateClient();
        await client.PutJsonAsync("/v1/companies/acme", CompanyEndpointsTests.Company("Acme", "payroll"));
        await (await client.PostJsonAsync("/v1/companies/reembed", """{"provider":"Nope"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostJsonAsync("/v1/companies/reembed", "{}")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("none", (await (await client.GetAsync("/v1/companies/reembed")).ReadJsonAsync()).GetProperty("state").GetString());
        Assert.Equal("companies", (await (await client.GetAsync("/v1/companies/stats")).ReadJsonAsync()).GetProperty("index").GetString());
    }

    private static string Description(int i) => (i % 4) switch
    {
        0 => $"Payroll software number {i} for restaurants",
        1 => $"Refrigerated freight and trucking route {i}",
        2 => $"Solar panels installed on roof {i}",
        _ => $"Freight brokerage desk {i} for trucking firms",
    };
}
