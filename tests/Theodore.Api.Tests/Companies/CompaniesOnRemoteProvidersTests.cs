using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Theodore.Api.Tests.Endpoints;
using Theodore.Pinecone.Fake;
using Theodore.Qdrant.Fake;

namespace Theodore.Api.Tests.Companies;

/// <summary>
/// /v1/companies on Qdrant and on Pinecone (each served by its protocol fake over a loopback socket, selected by
/// configuration alone), checked against the Native engine with the same data and the same word-hash generator: the
/// same ids in the same order with the same scores, the same filters, the embedding contract recorded and read back by
/// each adapter, and a re-embed that switches through the catalog index on each backend. The Pinecone fake makes writes
/// visible only after a delay, as serverless Pinecone does; the tests wait for what they read with a bounded deadline.
/// </summary>
public sealed class CompaniesOnRemoteProvidersTests
{
    private const double ScoreTolerance = 1e-4;
    private static readonly TimeSpan PineconeVisibilityDelay = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly string[] Industries = ["software", "logistics", "energy", "health", "finance"];
    private static readonly string[] Countries = ["DE", "FR", "US", "GB", "NL"];
    private static readonly string[] Sizes = ["micro", "small", "medium", "large", "enterprise"];

    private static readonly (string Description, string[] Tags)[] Niches =
    [
        ("Payroll and HR software for restaurants and cafes", ["payroll", "hr"]),
        ("Refrigerated freight and cold chain trucking", ["freight", "cold-chain"]),
        ("Solar panels and rooftop energy storage installation", ["solar", "storage"]),
        ("Clinic scheduling and patient records software", ["clinic", "records"]),
        ("Invoice financing and payments for small shops", ["payments", "lending"]),
        ("Warehouse robots and pallet picking automation", ["robotics", "warehouse"]),
        ("Wind farm maintenance drones and turbine inspection", ["wind", "drones"]),
        ("Telehealth video visits for rural pharmacies", ["telehealth", "pharmacy"]),
        ("Fraud detection for card payments and banks", ["fraud", "payments"]),
        ("Route planning for parcel delivery vans", ["routing", "parcel"]),
    ];

    private static readonly string[] Words =
    [
        "speed", "care", "price", "quality", "reach", "support", "design", "safety", "scale", "trust", "craft", "service",
        "range", "comfort", "value", "focus", "detail", "clarity", "energy", "patience", "insight", "rigour", "warmth",
        "grit", "flair", "calm", "depth", "pace", "honesty", "thrift", "polish",
    ];

    public static TheoryData<string> Remote => new() { "Qdrant", "Pinecone" };

    public static TheoryData<string> All => new() { "Native", "Qdrant", "Pinecone" };

    [Theory]
    [MemberData(nameof(Remote))]
    public async Task Companies_answer_on_a_remote_backend_as_on_native(string provider)
    {
        Answers expected;
        await using (var native = await Backend.StartAsync("Native"))
        {
            expected = await RunTourAsync(native);
        }

        await using var remote = await Backend.StartAsync(provider);
        var actual = await RunTourAsync(remote);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (query, matches) in expected)
        {
            // no backend promises an order among equal scores, so the data is made to have none (or the comparison says so)
            Assert.All(matches.Zip(matches.Skip(1)), pair => Assert.True(pair.First.Score - pair.Second.Score > ScoreTolerance / 10, $"the data ties {pair.First.Id} and {pair.Second.Id} in {query}"));
            var got = actual[query];
            Assert.True(
                matches.Select(m => m.Id).SequenceEqual(got.Select(m => m.Id)),
                $"{provider}: {query} gave [{string.Join(", ", got.Select(m => m.Id))}], Native [{string.Join(", ", matches.Select(m => m.Id))}]");
            for (var i = 0; i < matches.Count; i++)
            {
                Assert.True(
                    Math.Abs(matches[i].Score - got[i].Score) <= ScoreTolerance,
                    $"{provider}: {query} scored {got[i].Id} {got[i].Score}, Native {matches[i].Score}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task An_index_made_with_another_contract_is_refused_on_every_backend(string provider)
    {
        await using var backend = await Backend.StartAsync(provider);
        using (var api = backend.CreateApi("hash-a"))
        using (var client = api.CreateClient())
        {
            var created = await client.PostJsonAsync("/v1/indexes", """{"name":"companies","dimension":64,"metric":"cosine","embedding":{"model":"other-model","version":"7","normalize":true}}""");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            foreach (var response in new[]
            {
                await client.PutJsonAsync("/v1/companies/acme", CompanyEndpointsTests.Company("Acme", "payroll")),
                await client.PostJsonAsync("/v1/companies/search", """{"text":"payroll"}"""),
                await client.GetAsync("/v1/companies/acme/similar"),
                await client.GetAsync("/v1/companies/stats"),
            })
            {
                var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "embedding_contract_violation");
                var detail = problem.GetProperty("errors")[0].GetProperty("message").GetString()!;
                Assert.Contains("'other-model'", detail, StringComparison.Ordinal);
                Assert.Contains("'hash-a'", detail, StringComparison.Ordinal);
            }

            var stats = await (await client.GetAsync("/v1/indexes/companies/stats")).ReadJsonAsync();
            Assert.Equal(0, stats.GetProperty("totalVectors").GetInt64());
        }

        // a new process knows nothing but what the backend kept: the contract must come back from it (Qdrant's
        // collection metadata, Pinecone's index tags), so the start check refuses the configured generator
        using var restarted = backend.CreateApi("hash-a");
        var error = Record.Exception(() => restarted.CreateClient())?.ToString() ?? string.Empty;
        Assert.Contains("'other-model'", error, StringComparison.Ordinal);
        Assert.Contains("'hash-a'", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_reembed_completes_and_switches_through_the_catalog_on_every_backend(string provider)
    {
        const int Count = 50;
        await using var backend = await Backend.StartAsync(provider);
        using (var api = backend.CreateApi("hash-a"))
        using (var client = api.CreateClient())
        {
            var import = await Import(client, Ndjson(Count));
            Assert.Equal(Count, import.GetProperty("summary").GetProperty("created").GetInt32());
            await EventuallyAsync(client, "/v1/companies/stats", s => s.GetProperty("count").GetInt64() == Count, "the import to be counted");

            await (await client.PostJsonAsync("/v1/companies/reembed", """{"provider":"Test","model":"hash-b"}""")).ReadJsonAsync(HttpStatusCode.Accepted);
            var status = await EventuallyAsync(client, "/v1/companies/reembed", s => s.GetProperty("state").GetString() != "running", "the re-embed to finish");
            Assert.True(status.GetProperty("state").GetString() == "completed", status.ToString());
            Assert.Equal(Count, status.GetProperty("processed").GetInt64());
            Assert.Equal(Count, status.GetProperty("total").GetInt64());
            Assert.Equal("companies", status.GetProperty("fromIndex").GetString());
            Assert.Equal("companies-r2", status.GetProperty("toIndex").GetString());

            // read once, not polled: on an eventually consistent backend the switch waits until the new index counts
            // what the old one does, so readers never see it half-filled
            var stats = await (await client.GetAsync("/v1/companies/stats")).ReadJsonAsync();
            Assert.Equal("companies-r2", stats.GetProperty("index").GetString());
            Assert.Equal("hash-b", stats.GetProperty("embedding").GetProperty("model").GetString());
            Assert.Equal(Count, stats.GetProperty("count").GetInt64());

            var company = await (await client.GetAsync("/v1/companies/c7")).ReadJsonAsync();
            Assert.Equal("Company 7", company.GetProperty("name").GetString());
            var similar = await (await client.GetAsync("/v1/companies/c7/similar?topK=5")).ReadJsonAsync();
            Assert.Equal(5, similar.GetProperty("matches").GetArrayLength());

            // the catalog: one 1-dimensional euclidean index whose record names the active index
            var catalog = await (await client.GetAsync("/v1/indexes/theodore-catalog")).ReadJsonAsync();
            Assert.Equal(1, catalog.GetProperty("dimension").GetInt32());
            Assert.Equal("euclidean", catalog.GetProperty("metric").GetString());
            var entry = await EventuallyAsync(
                () => client.PostJsonAsync("/v1/indexes/theodore-catalog/vectors/fetch", """{"ids":["companies"]}"""),
                f => f.GetProperty("vectors").GetArrayLength() == 1,
                "the catalog record to be readable");
            Assert.Equal("companies-r2", entry.GetProperty("vectors")[0].GetProperty("metadata").GetProperty("active").GetString());

            // the old index is dropped once its last reader is done
            await EventuallyAsync(client, "/v1/indexes", l => !l.GetProperty("indexes").EnumerateArray().Any(i => i.GetProperty("name").GetString() == "companies"), "the old index to be dropped");
        }

        // a restart reads the catalog back from the backend and serves the new index with the new model
        using var restarted = backend.CreateApi("hash-b");
        using var again = restarted.CreateClient();
        var after = await (await again.GetAsync("/v1/companies/stats")).ReadJsonAsync();
        Assert.Equal("companies-r2", after.GetProperty("index").GetString());
        Assert.Equal("hash-b", after.GetProperty("embedding").GetProperty("model").GetString());
        Assert.Equal(Count, after.GetProperty("count").GetInt64());
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_company_deleted_right_after_it_was_written_stays_deleted(string provider)
    {
        await using var backend = await Backend.StartAsync(provider);
        using var api = backend.CreateApi("hash-a");
        using var client = api.CreateClient();

        // on Pinecone the write may not be visible yet when the delete arrives: the answer may then be 404, but the
        // company must not come back once the write becomes visible
        await (await client.PutJsonAsync("/v1/companies/brief", CompanyEndpointsTests.Company("Brief", "payroll for one day"))).ReadJsonAsync();
        var deleted = await client.DeleteAsync("/v1/companies/brief");
        Assert.True(deleted.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound, $"{(int)deleted.StatusCode}");
        await Task.Delay(PineconeVisibilityDelay * 3);
        await (await client.GetAsync("/v1/companies/brief")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        Assert.Equal(0, (await (await client.GetAsync("/v1/companies/stats")).ReadJsonAsync()).GetProperty("count").GetInt64());
        await (await client.DeleteAsync("/v1/companies/brief")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        await (await client.DeleteAsync("/v1/companies/nobody")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    /// <summary>
    /// Import, put, get, delete, then every query the comparison needs, each checked on its own terms; the answers by
    /// query. Waits for each write to be visible before reading on it (eventual consistency).
    /// </summary>
    private static async Task<Answers> RunTourAsync(Backend backend)
    {
        const int Count = 50;
        using var api = backend.CreateApi("hash-a");
        using var client = api.CreateClient();

        var import = await Import(client, Ndjson(Count));
        var summary = import.GetProperty("summary");
        Assert.Equal(Count, summary.GetProperty("created").GetInt32());
        Assert.Equal(0, summary.GetProperty("failed").GetInt32());
        await EventuallyAsync(client, "/v1/companies/stats", s => s.GetProperty("count").GetInt64() == Count, "the import to be counted");

        var put = await (await client.PutJsonAsync("/v1/companies/newcomer", CompanyEndpointsTests.Company("Newcomer", "Payroll software for bakeries and cafes", country: "FR", size: "micro", year: 2021, tags: ["payroll", "bakery"]))).ReadJsonAsync();
        Assert.True(put.GetProperty("created").GetBoolean());
        var got = await EventuallyAsync(client, "/v1/companies/newcomer", _ => true, "the new company to be readable");
        Assert.Equal("Newcomer", got.GetProperty("name").GetString());
        Assert.Equal("FR", got.GetProperty("country").GetString());
        Assert.Equal(["payroll", "bakery"], got.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(40, got.GetProperty("customFields").GetProperty("employees").GetDouble());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/v1/companies/c13")).StatusCode);
        await EventuallyAsync(client, "/v1/companies/stats", s => s.GetProperty("count").GetInt64() == Count, "the put and the delete to be counted");
        await (await client.GetAsync("/v1/companies/c13")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");

        var answers = new Answers(StringComparer.Ordinal);
        async Task<List<Match>> Similar(string query, Func<JsonElement, bool> holds, string? label = null)
        {
            var body = await (await client.GetAsync($"/v1/companies/{query}")).ReadJsonAsync();
            var matches = body.GetProperty("matches").EnumerateArray().ToArray();
            Assert.NotEmpty(matches);
            Assert.All(matches, m => Assert.True(holds(m.GetProperty("company")), $"{query}: {m}"));
            Assert.DoesNotContain(matches, m => m.GetProperty("company").GetProperty("id").GetString() == body.GetProperty("company").GetProperty("id").GetString());
            return answers[label ?? query] = [.. matches.Select(ToMatch)];
        }

        async Task Search(string body, Func<JsonElement, bool> holds)
        {
            var found = await (await client.PostJsonAsync("/v1/companies/search", body)).ReadJsonAsync();
            var matches = found.GetProperty("matches").EnumerateArray().ToArray();
            Assert.NotEmpty(matches);
            Assert.All(matches, m => Assert.True(holds(m.GetProperty("company")), $"{body}: {m}"));
            answers[body] = [.. matches.Select(ToMatch)];
        }

        static string? Text(JsonElement company, string name) => company.TryGetProperty(name, out var v) ? v.GetString() : null;
        static int Year(JsonElement company) => company.GetProperty("foundedYear").GetInt32();
        static bool Tagged(JsonElement company, string tag) => company.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == tag);

        var all = await Similar("c0/similar?topK=20", _ => true);
        Assert.Equal(20, all.Count);
        await Similar("newcomer/similar?topK=5", _ => true);
        await Similar("c21/similar?topK=30&industry=Logistics", c => Text(c, "industry") == "logistics");
        await Similar("c21/similar?topK=30&country=fr", c => Text(c, "country") == "FR");
        await Similar("c21/similar?topK=30&size=large", c => Text(c, "size") == "large");
        await Similar("c21/similar?topK=30&foundedFrom=2000&foundedTo=2010", c => Year(c) is >= 2000 and <= 2010);
        await Similar("c21/similar?topK=30&tag=payments", c => Tagged(c, "payments"));
        await Similar("c21/similar?topK=30&industry=finance&country=us&foundedFrom=1995", c => Text(c, "industry") == "finance" && Text(c, "country") == "US" && Year(c) >= 1995);
        var threshold = (all[9].Score + all[10].Score) / 2; // between two scores, so no backend's rounding moves the cut
        var above = await Similar(string.Create(CultureInfo.InvariantCulture, $"c0/similar?topK=20&minScore={threshold}"), _ => true, "c0/similar?topK=20&minScore=(between the 10th and the 11th)");
        Assert.Equal(all.Take(10).Select(m => m.Id), above.Select(m => m.Id));

        await Search("""{"text":"payroll software for restaurants","topK":10}""", _ => true);
        await Search("""{"text":"cold chain trucking","topK":10,"filter":{"industry":"logistics"}}""", c => Text(c, "industry") == "logistics");
        await Search("""{"text":"solar storage","topK":15,"filter":{"founded":{"$gte":2005},"country":{"$in":["DE","US"]}}}""", c => Year(c) >= 2005 && Text(c, "country") is "DE" or "US");
        await Search("""{"text":"card payments","topK":10,"filter":{"tags":"payments"}}""", c => Tagged(c, "payments"));
        await Search("""{"text":"payroll for cafes","topK":10,"minScore":0.2}""", _ => true);
        return answers;
    }

    private static Match ToMatch(JsonElement match) => new(match.GetProperty("company").GetProperty("id").GetString()!, match.GetProperty("score").GetDouble());

    /// <summary>
    /// <paramref name="count"/> companies in ten niches, attributes spread so every filter selects some and leaves some;
    /// each description has a word of its own so no two vectors are equal and no scores tie.
    /// </summary>
    private static string Ndjson(int count) => string.Join('\n', Enumerable.Range(0, count).Select(i =>
    {
        var (description, tags) = Niches[i % Niches.Length];
        return JsonSerializer.Serialize(new
        {
            id = $"c{i}",
            name = $"Company {i}",
            description = $"{description}, branch {Ordinal(i)}, known for {Words[i % Words.Length]}, {Words[(i * 7 + 3) % Words.Length]} and {Words[(i * 13 + 5) % Words.Length]}.",
            industry = Industries[i % Industries.Length],
            country = Countries[(i / 2) % Countries.Length],
            size = Sizes[(i / 3) % Sizes.Length],
            foundedYear = 1990 + (i * 7 % 34),
            tags,
        });
    }));

    private static string Ordinal(int i) => string.Concat(i.ToString(CultureInfo.InvariantCulture).Select(d => (char)('a' + (d - '0')))) + "x";

    private static async Task<JsonElement> Import(HttpClient client, string ndjson)
    {
        var response = await client.PostAsync(new Uri("/v1/companies/import", UriKind.Relative), new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));
        return await response.ReadJsonAsync();
    }

    /// <summary>GETs <paramref name="url"/> until it answers 200 with a body that satisfies <paramref name="done"/>, or fails at the deadline.</summary>
    private static Task<JsonElement> EventuallyAsync(HttpClient client, string url, Func<JsonElement, bool> done, string what) =>
        EventuallyAsync(() => client.GetAsync(url), done, $"{what} ({url})");

    /// <summary>Sends until the answer is 200 with a body that satisfies <paramref name="done"/>, or fails at the deadline.</summary>
    private static async Task<JsonElement> EventuallyAsync(Func<Task<HttpResponseMessage>> send, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTimeOffset.UtcNow + Deadline;
        var last = string.Empty;
        while (true)
        {
            using (var response = await send())
            {
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = JsonDocument.Parse(last[4..]).RootElement.Clone();
                    if (done(body))
                    {
                        return body;
                    }
                }
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"waited {Deadline} for {what}; the last answer was {last}");
            await Task.Delay(25);
        }
    }

    private sealed record Match(string Id, double Score);

    private sealed class Answers(StringComparer comparer) : Dictionary<string, List<Match>>(comparer);

    /// <summary>A storage backend and the settings that select it; disposing it stops the fake or deletes the data.</summary>
    private sealed class Backend : IAsyncDisposable
    {
        private readonly Func<ValueTask> _dispose;

        private Backend(Dictionary<string, string?> settings, Func<ValueTask> dispose)
        {
            Settings = settings;
            _dispose = dispose;
        }

        public Dictionary<string, string?> Settings { get; }

        public static async Task<Backend> StartAsync(string provider)
        {
            switch (provider)
            {
                case "Native":
                    var data = Directory.CreateTempSubdirectory("theodore-companies-").FullName;
                    return new Backend(
                        new() { ["VectorStorage:Provider"] = "Native", ["VectorStorage:Native:DataPath"] = data },
                        () =>
                        {
                            Directory.Delete(data, recursive: true);
                            return ValueTask.CompletedTask;
                        });
                case "Qdrant":
                    var qdrant = await QdrantFake.StartAsync();
                    return new Backend(
                        new() { ["VectorStorage:Provider"] = "Qdrant", ["VectorStorage:Qdrant:Endpoint"] = qdrant.Endpoint.ToString() },
                        qdrant.DisposeAsync);
                case "Pinecone":
                    var pinecone = await PineconeFake.StartAsync(new PineconeFakeOptions { VisibilityDelay = PineconeVisibilityDelay });
                    return new Backend(
                        new()
                        {
                            ["VectorStorage:Provider"] = "Pinecone",
                            ["VectorStorage:Pinecone:ControlPlaneEndpoint"] = pinecone.ControlPlaneEndpoint.ToString(),
                            ["VectorStorage:Pinecone:ApiKey"] = pinecone.ApiKey,
                        },
                        async () =>
                        {
                            var violations = pinecone.SpecViolations;
                            await pinecone.DisposeAsync();
                            Assert.Empty(violations);
                        });
                default:
                    throw new ArgumentOutOfRangeException(nameof(provider), provider, "no such provider");
            }
        }

        public CompanyApi CreateApi(string model) => new(model, settings: Settings);

        public ValueTask DisposeAsync() => _dispose();
    }
}
