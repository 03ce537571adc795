using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Theodore.Api.Tests.Endpoints;

namespace Theodore.Api.Tests.Operations;

/// <summary>
/// Mixed batches, soft delete and restore, TTL and compaction through the HTTP API, run on the Mock (the reference)
/// and on the default engine by the subclasses below. The clock is fake and shared by every layer.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xUnit disposes a test class through IAsyncLifetime.")]
public abstract class RecordOperationsEndpointTests(string provider) : IAsyncLifetime
{
    private const string Records = """
        [{"id":"a","values":[1,0,0],"metadata":{"kind":"x","n":1}},
         {"id":"b","values":[0,1,0],"metadata":{"kind":"y"}},
         {"id":"c","values":[0,0,1],"metadata":{"kind":"z"}}]
        """;

    private readonly OperationsApiHost _host = new(provider);

    private HttpClient Client => _host.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    private async Task<string> SeededAsync(string name)
    {
        await Client.CreateIndexAsync(name, 3);
        await Client.UpsertAsync(name, Records);
        return $"/v1/indexes/{name}";
    }

    private async Task<IReadOnlyList<string>> QueryIdsAsync(string url, float[] vector)
    {
        var body = await (await Client.PostJsonAsync(url + "/query", JsonSerializer.Serialize(new { vector, topK = 10 }))).ReadJsonAsync();
        return body.GetProperty("matches").Ids();
    }

    private async Task<IReadOnlyList<string>> ListIdsAsync(string url, bool includeDeleted = false) =>
        (await (await Client.GetAsync(url + "/vectors" + (includeDeleted ? "?includeDeleted=true" : string.Empty))).ReadJsonAsync()).GetProperty("vectors").Ids();

    private async Task<JsonElement> StatsAsync(string url) => await (await Client.GetAsync(url + "/stats")).ReadJsonAsync();

    [Fact]
    public async Task Batch_answers_each_operation_in_order_with_the_counts_and_duration()
    {
        var url = await SeededAsync("batch-mixed");

        var body = await (await Client.PostJsonAsync(url + "/batch", """
            {"operations":[
              {"op":"upsert","id":"d","values":[1,1,0],"metadata":{"kind":"w"}},
              {"op":"delete","id":"a"},
              {"op":"softDelete","id":"b"},
              {"op":"restore","id":"c"},
              {"op":"updateMetadata","id":"c","metadata":{"n":7}},
              {"op":"setExpiry","id":"d","ttlSeconds":60},
              {"op":"restore","id":"missing"}]}
            """)).ReadJsonAsync();

        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["upsert", "delete", "softDelete", "restore", "updateMetadata", "setExpiry", "restore"], results.Select(r => r.GetProperty("op").GetString()));
        Assert.Equal([true, true, true, false, true, true, false], results.Select(r => r.GetProperty("applied").GetBoolean()));
        Assert.Equal("record_not_found", results[6].GetProperty("error").GetProperty("code").GetString());
        Assert.False(results[3].TryGetProperty("error", out _));
        Assert.Equal((7, 6, 1), (body.GetProperty("requested").GetInt32(), body.GetProperty("succeeded").GetInt32(), body.GetProperty("failed").GetInt32()));
        Assert.False(body.GetProperty("atomic").GetBoolean());
        Assert.True(body.GetProperty("durationMs").GetDouble() >= 0);

        var c = await (await Client.GetAsync(url + "/vectors/c")).ReadJsonAsync();
        Assert.Equal(7, c.GetProperty("metadata").GetProperty("n").GetInt32());
        Assert.Equal("z", c.GetProperty("metadata").GetProperty("kind").GetString());
        var d = await (await Client.GetAsync(url + "/vectors/d")).ReadJsonAsync();
        Assert.Equal(OperationsApiHost.Start.AddSeconds(60), d.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(["c", "d"], await ListIdsAsync(url));
    }

    [Fact]
    public async Task Batch_updateMetadata_replace_drops_the_fields_not_given()
    {
        var url = await SeededAsync("batch-replace");

        await (await Client.PostJsonAsync(url + "/batch", """{"operations":[{"op":"updateMetadata","id":"a","metadata":{"n":2},"mode":"replace"}]}""")).ReadJsonAsync();

        var a = await (await Client.GetAsync(url + "/vectors/a")).ReadJsonAsync();
        Assert.Equal("""{"n":2}""", a.GetProperty("metadata").GetRawText());
    }

    [Fact]
    public async Task Atomic_batch_with_a_missing_record_is_refused_whole_and_applies_nothing()
    {
        var url = await SeededAsync("batch-atomic");

        var problem = await (await Client.PostJsonAsync(url + "/batch", """
            {"atomic":true,"operations":[{"op":"delete","id":"a"},{"op":"upsert","id":"e","values":[1,0,1]},{"op":"softDelete","id":"ghost"}]}
            """)).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");

        Assert.Contains("ghost", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["a", "b", "c"], await ListIdsAsync(url));
    }

    [Fact]
    public async Task Atomic_batch_applies_everything()
    {
        var url = await SeededAsync("batch-atomic-ok");

        var body = await (await Client.PostJsonAsync(url + "/batch", """
            {"atomic":true,"operations":[{"op":"delete","id":"a"},{"op":"upsert","id":"e","values":[1,0,1]},{"op":"softDelete","id":"b"}]}
            """)).ReadJsonAsync();

        Assert.True(body.GetProperty("atomic").GetBoolean());
        Assert.Equal(3, body.GetProperty("succeeded").GetInt32());
        Assert.Equal(["c", "e"], await ListIdsAsync(url));
    }

    [Fact]
    public async Task Batch_with_bad_operations_is_400_listing_every_problem_and_applies_nothing()
    {
        var url = await SeededAsync("batch-invalid");

        var problem = await (await Client.PostJsonAsync(url + "/batch", """
            {"operations":[{"op":"delete","id":"a"},{"op":"fly","id":"b"},{"op":"upsert","id":"c"},{"op":"setExpiry","id":"c","expiresAt":"soon"}]}
            """)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["operations[1].op", "operations[2].values", "operations[3].expiresAt"], problem.ErrorPaths());
        Assert.Equal(["a", "b", "c"], await ListIdsAsync(url));
    }

    [Fact]
    public async Task Soft_deleted_record_is_invisible_until_restored_and_shown_only_when_asked()
    {
        var url = await SeededAsync("soft");

        var deleted = await (await Client.DeleteAsync(url + "/vectors/b?soft=true")).ReadJsonAsync();
        Assert.True(deleted.GetProperty("applied").GetBoolean());
        var again = await (await Client.DeleteAsync(url + "/vectors/b?soft=true")).ReadJsonAsync();
        Assert.False(again.GetProperty("applied").GetBoolean());

        await (await Client.GetAsync(url + "/vectors/b")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        Assert.DoesNotContain("b", await QueryIdsAsync(url, [0, 1, 0]));
        await (await Client.PostJsonAsync(url + "/query", """{"id":"b","topK":2}""")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        Assert.Equal(["a", "c"], await ListIdsAsync(url));
        Assert.Empty((await (await Client.PostJsonAsync(url + "/vectors/fetch", """{"ids":["b"]}""")).ReadJsonAsync()).GetProperty("vectors").EnumerateArray());
        Assert.Equal(["a", "b", "c"], await ListIdsAsync(url, includeDeleted: true));
        var fetched = await (await Client.PostJsonAsync(url + "/vectors/fetch", """{"ids":["b","a"],"includeDeleted":true}""")).ReadJsonAsync();
        var vectors = fetched.GetProperty("vectors").EnumerateArray().ToList();
        Assert.Equal(["b", "a"], vectors.Select(v => v.GetProperty("id").GetString()));
        Assert.Equal(OperationsApiHost.Start, vectors[0].GetProperty("deletedAt").GetDateTimeOffset());
        Assert.False(vectors[1].TryGetProperty("deletedAt", out _));
        var stats = await StatsAsync(url);
        Assert.Equal((2, 1), (stats.GetProperty("totalVectors").GetInt64(), stats.GetProperty("softDeletedVectors").GetInt64()));

        var restored = await (await Client.PostJsonAsync(url + "/vectors/b/restore", string.Empty)).ReadJsonAsync();
        Assert.True(restored.GetProperty("applied").GetBoolean());
        Assert.Equal("b", (await QueryIdsAsync(url, [0, 1, 0]))[0]);
        var live = await (await Client.PostJsonAsync(url + "/vectors/b/restore", string.Empty)).ReadJsonAsync();
        Assert.False(live.GetProperty("applied").GetBoolean());
    }

    [Fact]
    public async Task Soft_delete_or_restore_of_a_missing_record_is_404()
    {
        var url = await SeededAsync("soft-missing");

        await (await Client.DeleteAsync(url + "/vectors/nope?soft=true")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        await (await Client.PostJsonAsync(url + "/vectors/nope/restore", string.Empty)).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    [Fact]
    public async Task Upsert_over_a_soft_deleted_record_makes_it_live_and_hard_delete_removes_it()
    {
        var url = await SeededAsync("soft-upsert");
        await (await Client.DeleteAsync(url + "/vectors/a?soft=true")).ReadJsonAsync();
        await (await Client.DeleteAsync(url + "/vectors/b?soft=true")).ReadJsonAsync();

        await (await Client.PutJsonAsync(url + "/vectors/a", """{"values":[1,0,0]}""")).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync(url + "/vectors/b")).StatusCode);

        Assert.Equal(["a", "c"], await ListIdsAsync(url, includeDeleted: true));
    }

    [Fact]
    public async Task Record_with_a_ttl_is_returned_until_it_expires_and_never_after()
    {
        var url = await SeededAsync("ttl");
        await (await Client.PostJsonAsync(url + "/vectors/upsert", """{"vectors":[{"id":"t","values":[0,1,0.1],"ttlSeconds":30}]}""")).ReadJsonAsync();
        await (await Client.PutJsonAsync(url + "/vectors/u", $$"""{"values":[0,1,0.2],"expiresAt":"{{OperationsApiHost.Start.AddSeconds(90).ToString("O", CultureInfo.InvariantCulture)}}"}""")).ReadJsonAsync();

        var t = await (await Client.GetAsync(url + "/vectors/t")).ReadJsonAsync();
        Assert.Equal(OperationsApiHost.Start.AddSeconds(30), t.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Contains("t", await QueryIdsAsync(url, [0, 1, 0]));

        _host.Time.Advance(TimeSpan.FromSeconds(30));

        await (await Client.GetAsync(url + "/vectors/t")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        Assert.Equal(["a", "b", "c", "u"], (await QueryIdsAsync(url, [0, 1, 0])).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("t", await ListIdsAsync(url, includeDeleted: true));
        Assert.Empty((await (await Client.PostJsonAsync(url + "/vectors/fetch", """{"ids":["t"],"includeDeleted":true}""")).ReadJsonAsync()).GetProperty("vectors").EnumerateArray());
        var stats = await StatsAsync(url);
        Assert.Equal((4, 1), (stats.GetProperty("totalVectors").GetInt64(), stats.GetProperty("expiredVectors").GetInt64()));
        await (await Client.PutJsonAsync(url + "/vectors/t/ttl", """{"ttlSeconds":60}""")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    [Fact]
    public async Task Put_ttl_sets_and_clears_an_expiry()
    {
        var url = await SeededAsync("ttl-put");

        var set = await (await Client.PutJsonAsync(url + "/vectors/a/ttl", """{"ttlSeconds":10}""")).ReadJsonAsync();
        Assert.Equal(OperationsApiHost.Start.AddSeconds(10), set.GetProperty("expiresAt").GetDateTimeOffset());
        var cleared = await (await Client.PutJsonAsync(url + "/vectors/a/ttl", "{}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("expiresAt").ValueKind);

        _host.Time.Advance(TimeSpan.FromSeconds(20));

        var a = await (await Client.GetAsync(url + "/vectors/a")).ReadJsonAsync();
        Assert.False(a.TryGetProperty("expiresAt", out _));
        await (await Client.PutJsonAsync(url + "/vectors/a/ttl", """{"ttlSeconds":10,"expiresAt":"2031-01-01T00:00:00Z"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await Client.PutJsonAsync(url + "/vectors/missing/ttl", """{"ttlSeconds":10}""")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    [Fact]
    public async Task Upsert_with_an_expiry_in_the_past_is_accepted_and_invisible_at_once()
    {
        var url = await SeededAsync("ttl-past");

        await (await Client.PostJsonAsync(url + "/vectors/upsert", """{"vectors":[{"id":"old","values":[1,1,1],"expiresAt":"2000-01-01T00:00:00Z"}]}""")).ReadJsonAsync();

        await (await Client.GetAsync(url + "/vectors/old")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        Assert.Equal(3, (await StatsAsync(url)).GetProperty("totalVectors").GetInt64());
    }

    [Fact]
    public async Task Compact_purges_soft_deleted_and_expired_records_and_says_what_it_removed()
    {
        var url = await SeededAsync("compact");
        await (await Client.PostJsonAsync(url + "/batch", """{"operations":[{"op":"softDelete","id":"a"},{"op":"softDelete","id":"b"},{"op":"setExpiry","id":"c","ttlSeconds":5}]}""")).ReadJsonAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(5));

        var body = await (await Client.PostJsonAsync(url + "/compact", string.Empty)).ReadJsonAsync();

        Assert.Equal((2, 1, 3), (body.GetProperty("purgedSoftDeleted").GetInt64(), body.GetProperty("purgedExpired").GetInt64(), body.GetProperty("removed").GetInt64()));
        Assert.True(body.GetProperty("durationMs").GetDouble() >= 0);
        Assert.Empty(await ListIdsAsync(url, includeDeleted: true));
        await (await Client.PostJsonAsync(url + "/vectors/a/restore", string.Empty)).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        var stats = await StatsAsync(url);
        Assert.Equal((0, 0, 0), (stats.GetProperty("totalVectors").GetInt64(), stats.GetProperty("softDeletedVectors").GetInt64(), stats.GetProperty("expiredVectors").GetInt64()));
    }
}

public sealed class RecordOperationsEndpointTestsOnMock() : RecordOperationsEndpointTests("Mock");

public sealed class RecordOperationsEndpointTestsOnNative() : RecordOperationsEndpointTests("Native");
