using System.Net;
using System.Text;
using System.Text.Json;
using Theodore.Api.Tests.Endpoints;

namespace Theodore.Api.Tests.Companies;

/// <summary>/v1/companies through HTTP on the Mock provider, with a word-hash generator (docs/companies.md).</summary>
public sealed class CompanyEndpointsTests : IDisposable
{
    private readonly CompanyApi _api = new();
    private readonly HttpClient _client;

    public CompanyEndpointsTests() => _client = _api.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _api.Dispose();
    }

    internal static string Company(string name, string description, string industry = "software", string country = "DE", string size = "small", int year = 2015, params string[] tags) =>
        JsonSerializer.Serialize(new { name, description, industry, country, size, foundedYear = year, tags, website = "https://example.com", customFields = new { employees = 40, @public = false } });

    [Fact]
    public async Task A_company_is_stored_read_back_and_deleted()
    {
        var put = await (await _client.PutJsonAsync("/v1/companies/acme", Company("Acme Payroll", "Payroll software for restaurants.", tags: ["payroll", "HR"]))).ReadJsonAsync();
        Assert.True(put.GetProperty("created").GetBoolean());
        Assert.True(put.GetProperty("embedded").GetBoolean());

        var company = await (await _client.GetAsync("/v1/companies/acme")).ReadJsonAsync();
        Assert.Equal("Acme Payroll", company.GetProperty("name").GetString());
        Assert.Equal("small", company.GetProperty("size").GetString());
        Assert.Equal(2015, company.GetProperty("foundedYear").GetInt32());
        Assert.Equal("DE", company.GetProperty("country").GetString());
        Assert.Equal(["payroll", "hr"], company.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(40, company.GetProperty("customFields").GetProperty("employees").GetDouble());
        Assert.False(company.GetProperty("customFields").GetProperty("public").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/v1/companies/acme")).StatusCode);
        await (await _client.GetAsync("/v1/companies/acme")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        await (await _client.DeleteAsync("/v1/companies/acme")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    [Fact]
    public async Task An_unchanged_text_is_not_embedded_again()
    {
        await _client.PutJsonAsync("/v1/companies/acme", Company("Acme", "Payroll software for restaurants."));
        var embedded = _api.Generator.TextsEmbedded;

        var renamed = await (await _client.PutJsonAsync("/v1/companies/acme", Company("Acme GmbH", "Payroll software for restaurants."))).ReadJsonAsync();
        Assert.False(renamed.GetProperty("created").GetBoolean());
        Assert.False(renamed.GetProperty("embedded").GetBoolean());
        Assert.Equal(embedded, _api.Generator.TextsEmbedded);
        Assert.Equal("Acme GmbH", (await (await _client.GetAsync("/v1/companies/acme")).ReadJsonAsync()).GetProperty("name").GetString());

        var redescribed = await (await _client.PutJsonAsync("/v1/companies/acme", Company("Acme GmbH", "Payroll and scheduling software for restaurants."))).ReadJsonAsync();
        Assert.True(redescribed.GetProperty("embedded").GetBoolean());
        Assert.Equal(embedded + 1, _api.Generator.TextsEmbedded);
    }

    [Fact]
    public async Task Bad_input_lists_every_problem_and_writes_nothing()
    {
        var body = """{"name":" ","size":"huge","foundedYear":3000,"country":"Germany","website":"ftp://x","tags":["", "ok"],"customFields":{"nested":{"a":1}}}""";
        var problem = await (await _client.PutJsonAsync("/v1/companies/bad", body)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var paths = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "name", "size", "foundedYear", "country", "website", "tags[0]" }, paths);
        Assert.Contains(paths, p => p!.StartsWith("customFields", StringComparison.Ordinal));
        Assert.Equal(0, _api.Generator.TextsEmbedded);
        await (await _client.GetAsync("/v1/companies/bad")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");

        await (await _client.PutJsonAsync("/v1/companies/x", """{"name":"X","foundedYear":"2015"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task Import_reports_each_item_and_writes_only_the_good_ones()
    {
        var ndjson = new StringBuilder()
            .AppendLine("""{"id":"a","name":"A","description":"payroll for cafes"}""")
            .AppendLine("not json")
            .AppendLine()
            .AppendLine("""{"id":"b","name":"B","size":"giant"}""")
            .AppendLine("[1,2]")
            .AppendLine("""{"id":"c","name":"C","description":"cold chain trucking"}""")
            .AppendLine("""{"id":"a","name":"A2","description":"payroll for bars"}""")
            .Append("""{"id":"d","name":"D"}""") // no newline at the end
            .ToString();
        var result = await Import(ndjson, "application/x-ndjson");

        var items = result.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], items.Select(i => i.GetProperty("index").GetInt32()));
        Assert.Equal(["created", "failed", "failed", "failed", "created", "updated", "created"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.Equal("size", items[2].GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains("not JSON", items[1].GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        var summary = result.GetProperty("summary");
        Assert.Equal(7, summary.GetProperty("total").GetInt32());
        Assert.Equal(3, summary.GetProperty("created").GetInt32());
        Assert.Equal(1, summary.GetProperty("updated").GetInt32());
        Assert.Equal(3, summary.GetProperty("failed").GetInt32());

        Assert.Equal("A2", (await (await _client.GetAsync("/v1/companies/a")).ReadJsonAsync()).GetProperty("name").GetString());
        await (await _client.GetAsync("/v1/companies/b")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        Assert.Equal(3, (await (await _client.GetAsync("/v1/companies/stats")).ReadJsonAsync()).GetProperty("count").GetInt64());

        // again: c and d are as stored; a is written back and forth (A, then A2), as the lines say
        var again = (await Import(ndjson, "application/x-ndjson")).GetProperty("summary");
        Assert.Equal(2, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(2, again.GetProperty("updated").GetInt32());
        Assert.Equal("A2", (await (await _client.GetAsync("/v1/companies/a")).ReadJsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Import_of_a_json_array_streams_many_items_in_batches()
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $$"""{"id":"c{{i}}","name":"Company {{i}}","description":"maker of widget number {{i}}","industry":"manufacturing"}""")) + "]";
        var result = await Import(body, "application/json");
        Assert.Equal(1000, result.GetProperty("summary").GetProperty("created").GetInt32());
        Assert.Equal(1000, result.GetProperty("results").GetArrayLength());
        Assert.Equal(1000, _api.Generator.TextsEmbedded);

        // JSON broken after many items: what is reported created is stored, and one failure covers the rest
        var good = string.Join(",", Enumerable.Range(0, 2000).Select(i => $$"""{"id":"z{{i}}","name":"Z {{i}}","description":"a long enough description for item {{i}} of the import"}"""));
        var items = (await Import("[" + good + ", {\"id\": ]", "application/json")).GetProperty("results").EnumerateArray().ToArray();
        var last = items[^1];
        Assert.Equal("failed", last.GetProperty("status").GetString());
        Assert.Contains("from here on", last.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(items.Length > 1, "the items before the break are imported");
        Assert.All(items[..^1], i => Assert.Equal("created", i.GetProperty("status").GetString()));
        Assert.Equal(items.Length - 1, last.GetProperty("index").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/v1/companies/{items[^2].GetProperty("id").GetString()}")).StatusCode);
        await (await _client.GetAsync($"/v1/companies/z{items.Length - 1}")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");

        await (await _client.PostAsync(new Uri("/v1/companies/import", UriKind.Relative), new StringContent("x", Encoding.UTF8, "text/plain")))
            .AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Similar_excludes_the_company_filters_and_says_what_is_shared()
    {
        await _client.PutJsonAsync("/v1/companies/q", Company("Q", "payroll software for restaurants and cafes", country: "DE", tags: ["payroll", "hospitality"]));
        await _client.PutJsonAsync("/v1/companies/p1", Company("P1", "payroll software for restaurants and bars", country: "DE", tags: ["payroll"]));
        await _client.PutJsonAsync("/v1/companies/p2", Company("P2", "payroll software for cafes", country: "FR", size: "large", year: 1999, tags: ["hospitality"]));
        await _client.PutJsonAsync("/v1/companies/u", Company("U", "cold chain trucking for vaccines", industry: "logistics", country: "DE"));

        var similar = await (await _client.GetAsync("/v1/companies/q/similar?topK=3")).ReadJsonAsync();
        Assert.Equal("q", similar.GetProperty("company").GetProperty("id").GetString());
        var ids = similar.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("company").GetProperty("id").GetString()).ToArray();
        Assert.DoesNotContain("q", ids);
        Assert.Equal("u", ids[^1]);
        var p1 = similar.GetProperty("matches").EnumerateArray().Single(m => m.GetProperty("company").GetProperty("id").GetString() == "p1").GetProperty("shared");
        Assert.Equal("software", p1.GetProperty("industry").GetString());
        Assert.Equal("DE", p1.GetProperty("country").GetString());
        Assert.Equal(["payroll"], p1.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        Assert.Equal(["p2"], await SimilarIds("/v1/companies/q/similar?country=fr"));
        Assert.Equal(["p2"], await SimilarIds("/v1/companies/q/similar?size=large"));
        Assert.Equal(["p2"], await SimilarIds("/v1/companies/q/similar?foundedTo=2000"));
        Assert.Equal(["p1", "u"], (await SimilarIds("/v1/companies/q/similar?foundedFrom=2000&foundedTo=2020")).Order().ToArray());
        Assert.Equal(["u"], await SimilarIds("/v1/companies/q/similar?industry=Logistics"));
        Assert.Equal(["p2"], await SimilarIds("/v1/companies/q/similar?tag=hospitality"));
        Assert.Empty(await SimilarIds("/v1/companies/q/similar?tag=hospitality&tag=payroll"));
        var scores = similar.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("score").GetSingle()).ToArray();
        var between = (scores[^1] + scores[^2]) / 2;
        Assert.Equal(ids[..^1], await SimilarIds(FormattableString.Invariant($"/v1/companies/q/similar?minScore={between}")));

        await (await _client.GetAsync("/v1/companies/nobody/similar")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        var bad = await (await _client.GetAsync("/v1/companies/q/similar?topK=0&size=huge&foundedFrom=2020&foundedTo=2000&minScore=2"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(4, bad.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Search_embeds_the_text_as_a_query_and_filters()
    {
        await _client.PutJsonAsync("/v1/companies/p", Company("P", "payroll software for restaurants"));
        await _client.PutJsonAsync("/v1/companies/t", Company("T", "cold chain trucking for vaccines", industry: "logistics"));

        var found = await (await _client.PostJsonAsync("/v1/companies/search", """{"text":"trucking of vaccines","topK":1}""")).ReadJsonAsync();
        Assert.Equal("t", found.GetProperty("matches")[0].GetProperty("company").GetProperty("id").GetString());
        var filtered = await (await _client.PostJsonAsync("/v1/companies/search", """{"text":"trucking of vaccines","filter":{"industry":"software"}}""")).ReadJsonAsync();
        Assert.Equal("p", filtered.GetProperty("matches")[0].GetProperty("company").GetProperty("id").GetString());

        var bad = await (await _client.PostJsonAsync("/v1/companies/search", """{"text":" ","topK":1000,"filter":{"industry":{"$nope":1}}}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(3, bad.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task An_index_made_by_another_model_is_refused_with_409_naming_both()
    {
        await _client.PutJsonAsync("/v1/companies/acme", Company("Acme", "payroll"));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/v1/indexes/companies")).StatusCode);
        var created = await _client.PostJsonAsync("/v1/indexes", """{"name":"companies","dimension":64,"metric":"cosine","embedding":{"model":"other-model","version":"7","normalize":true}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        foreach (var response in new[]
        {
            await _client.PutJsonAsync("/v1/companies/acme", Company("Acme", "payroll")),
            await _client.PostJsonAsync("/v1/companies/search", """{"text":"payroll"}"""),
            await _client.GetAsync("/v1/companies/acme/similar"),
        })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "embedding_contract_violation");
            var detail = problem.GetProperty("errors")[0].GetProperty("message").GetString()!;
            Assert.Contains("'other-model'", detail, StringComparison.Ordinal);
            Assert.Contains("'hash-a'", detail, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await (await _client.GetAsync("/v1/indexes/companies/stats")).ReadJsonAsync()).GetProperty("totalVectors").GetInt64());
    }

    [Fact]
    public async Task A_provider_outage_is_503_with_Retry_After_and_a_refusal_502_and_nothing_is_written()
    {
        _api.Generator.Failure = new Adapters.Embeddings.EmbeddingProviderException("cohere answered 429", "cohere", 429, isTransient: true, TimeSpan.FromSeconds(7));
        var busy = await _client.PutJsonAsync("/v1/companies/acme", Company("Acme", "payroll"));
        await busy.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "embedding_provider_error");
        Assert.Equal(TimeSpan.FromSeconds(7), busy.Headers.RetryAfter?.Delta);

        _api.Generator.Failure = new Adapters.Embeddings.EmbeddingProviderException("openai answered 401", "openai", 401, isTransient: false);
        await (await _client.PostJsonAsync("/v1/companies/search", """{"text":"payroll"}""")).AssertProblemAsync(HttpStatusCode.BadGateway, "embedding_provider_error");

        _api.Generator.Failure = null;
        await (await _client.GetAsync("/v1/companies/acme")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    private async Task<JsonElement> Import(string body, string contentType)
    {
        var response = await _client.PostAsync(new Uri("/v1/companies/import", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));
        return await response.ReadJsonAsync();
    }

    private async Task<string[]> SimilarIds(string url) =>
        [.. (await (await _client.GetAsync(url)).ReadJsonAsync()).GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("company").GetProperty("id").GetString()!)];
}
