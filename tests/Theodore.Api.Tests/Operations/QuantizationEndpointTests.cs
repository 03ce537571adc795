using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Theodore.Api.Tests.Endpoints;

namespace Theodore.Api.Tests.Operations;

/// <summary>
/// An index created with int8, int4 or binary quantization through the API: it reports its quantization (and its
/// kind's default rerank factor when none is named) and answers with exact scores. Run on the default engine and on
/// the Mock (which answers exactly).
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xUnit disposes a test class through IAsyncLifetime.")]
public abstract class QuantizationEndpointTests(string provider) : IAsyncLifetime
{
    private readonly OperationsApiHost _host = new(provider);

    private HttpClient Client => _host.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("int8", 3, 3)]
    [InlineData("int4", 3, 3)]
    [InlineData("binary", 5, 5)]
    [InlineData("int4", null, 4)]
    [InlineData("binary", null, 16)]
    public async Task A_quantized_index_reports_its_quantization_and_answers_with_exact_scores(string kind, int? rerank, int expectedRerank)
    {
        object quantization = rerank is { } r ? new { kind, rerankFactor = r } : new { kind };
        var created = await (await Client.PostJsonAsync("/v1/indexes", JsonSerializer.Serialize(new { name = "q8", dimension = 16, metric = "euclidean", quantization })))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(kind, created.GetProperty("quantization").GetProperty("kind").GetString());
        Assert.Equal(expectedRerank, created.GetProperty("quantization").GetProperty("rerankFactor").GetInt32());

        var random = new Random(4);
        var rows = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        var json = new StringBuilder("[");
        for (int i = 0; i < rows.Length; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{\"id\":\"r{i}\",\"values\":{JsonSerializer.Serialize(rows[i])}}}");
        }

        await Client.UpsertAsync("q8", json.Append(']').ToString());

        var query = rows[17];
        var body = await (await Client.PostJsonAsync("/v1/indexes/q8/query", JsonSerializer.Serialize(new { vector = query, topK = 5, includeValues = false })))
            .ReadJsonAsync();
        var matches = body.GetProperty("matches");
        Assert.Equal("r17", matches[0].GetProperty("id").GetString());

        // Scores come from the exact distance on the float vectors, not from the codes.
        foreach (var match in matches.EnumerateArray())
        {
            int row = int.Parse(match.GetProperty("id").GetString()![1..], CultureInfo.InvariantCulture);
            double exact = Math.Sqrt(rows[row].Zip(query, (a, b) => (double)(a - b) * (a - b)).Sum());
            Assert.Equal(exact, match.GetProperty("distance").GetDouble(), 4);
        }

        var info = await (await Client.GetAsync(new Uri("/v1/indexes/q8", UriKind.Relative))).ReadJsonAsync();
        Assert.Equal(kind, info.GetProperty("quantization").GetProperty("kind").GetString());
        Assert.Equal(expectedRerank, info.GetProperty("quantization").GetProperty("rerankFactor").GetInt32());
    }

    [Fact]
    public async Task A_query_s_rerankFactor_is_checked_and_changes_how_many_candidates_are_reranked()
    {
        await (await Client.PostJsonAsync("/v1/indexes", """{"name":"qr","dimension":16,"metric":"euclidean","quantization":{"kind":"binary"}}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var random = new Random(9);
        var rows = Enumerable.Range(0, 400).Select(_ => Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        await Client.UpsertAsync("qr", JsonSerializer.Serialize(rows.Select((values, i) => new { id = "r" + i.ToString(CultureInfo.InvariantCulture), values })));

        async Task<string[]> IdsAsync(float[] query, object extra)
        {
            var options = JsonSerializer.SerializeToElement(extra).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
            options["vector"] = query;
            options["topK"] = 10;
            var body = await (await Client.PostJsonAsync("/v1/indexes/qr/query", JsonSerializer.Serialize(options))).ReadJsonAsync();
            return [.. body.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
        }

        int narrowMisses = 0;
        foreach (var query in rows.Take(12).Select(r => r.Select(v => v + 0.05f).ToArray()))
        {
            var exact = await IdsAsync(query, new { exact = true });
            var wide = await IdsAsync(query, new { ef = 400, rerankFactor = 40 });
            var narrow = await IdsAsync(query, new { ef = 400, rerankFactor = 1 });
            Assert.Equal(exact, wide);
            narrowMisses += exact.SequenceEqual(narrow) ? 0 : 1;
        }

        // The engine walks 1-bit codes: reranking only 10 candidates misses neighbours a wide rerank finds. The Mock
        // answers every search exactly, so a factor changes nothing there.
        Assert.True(provider == "Mock" ? narrowMisses == 0 : narrowMisses > 0, $"{narrowMisses} of 12 answers differed at rerankFactor 1 on {provider}");

        foreach (var wrong in new[] { 0, 101 })
        {
            var refused = await Client.PostJsonAsync("/v1/indexes/qr/query", JsonSerializer.Serialize(new { vector = rows[0], topK = 10, rerankFactor = wrong }));
            var problem = await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
            Assert.Equal(["rerankFactor"], problem.ErrorPaths());
        }
    }

    [Fact]
    public async Task Int8_on_manhattan_and_an_unknown_kind_are_400_naming_the_field()
    {
        var manhattan = await Client.PostJsonAsync("/v1/indexes", """{"name":"qm","dimension":4,"metric":"manhattan","quantization":{"kind":"int8"}}""");
        var unknown = await Client.PostJsonAsync("/v1/indexes", """{"name":"qu","dimension":4,"metric":"cosine","quantization":{"kind":"int3"}}""");
        var binaryManhattan = await Client.PostJsonAsync("/v1/indexes", """{"name":"qb","dimension":4,"metric":"manhattan","quantization":{"kind":"binary"}}""");

        await binaryManhattan.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await manhattan.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("quantization.kind", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("quantization.kind", await manhattan.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class QuantizationEndpointTestsOnNative() : QuantizationEndpointTests("Native");

public sealed class QuantizationEndpointTestsOnMock() : QuantizationEndpointTests("Mock");
