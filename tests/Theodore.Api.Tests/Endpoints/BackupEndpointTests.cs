using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Theodore.Adapters.Native;

namespace Theodore.Api.Tests.Endpoints;

/// <summary>The backup endpoints on a real native storage in a temporary data directory.</summary>
[SuppressMessage("Design", "CA1001", Justification = "xUnit disposes a test class through IAsyncLifetime.")]
public sealed class BackupEndpointTests : IAsyncLifetime
{
    private const string Vectors = """[{"id":"a","values":[1,0,0],"metadata":{"name":"Acme"}},{"id":"b","values":[0,1,0]}]""";

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "theodore-api-backup-" + Guid.NewGuid().ToString("N"));
    private readonly NativeVectorStorage _storage;
    private readonly TheodoreApiFactory _factory = new();
    private readonly WebApplicationFactory<Program> _host;
    private readonly HttpClient _client;

    public BackupEndpointTests()
    {
        _storage = new NativeVectorStorage(new NativeOptions { DataPath = _dataPath });
        _host = _factory.WithStorage(_storage);
        _client = _host.CreateClient();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
        await _storage.DisposeAsync();
        Directory.Delete(_dataPath, recursive: true);
    }

    private async Task<string> BackupAsync(string body = "{}")
    {
        var response = await _client.PostJsonAsync("/v1/backups", body);
        var backup = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = backup.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/backups/{id}", response.Headers.Location?.ToString());
        return id;
    }

    [Fact]
    public async Task Backup_list_get_restore_prune_and_delete_round_trip()
    {
        await _client.CreateIndexAsync("companies");
        await _client.UpsertAsync("companies", Vectors);

        var id = await BackupAsync("""{"indexes":["companies"]}""");
        var listed = await (await _client.GetAsync("/v1/backups")).ReadJsonAsync();
        var described = await (await _client.GetAsync($"/v1/backups/{id}")).ReadJsonAsync();
        var copy = await (await _client.PostJsonAsync($"/v1/backups/{id}/restore", """{"index":"companies","target":"companies-copy"}""")).ReadJsonAsync(HttpStatusCode.Created);
        var fetched = await (await _client.PostJsonAsync("/v1/indexes/companies-copy/vectors/fetch", """{"ids":["a","b"]}""")).ReadJsonAsync();
        var pruned = await (await _client.PostJsonAsync("/v1/backups/prune", """{"daily":7}""")).ReadJsonAsync();
        var deleted = await _client.DeleteAsync($"/v1/backups/{id}");

        Assert.Equal([id], listed.GetProperty("backups").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.True(described.GetProperty("intact").GetBoolean());
        Assert.Equal("companies", described.GetProperty("indexes")[0].GetProperty("name").GetString());
        Assert.Equal(2, described.GetProperty("indexes")[0].GetProperty("recordCount").GetInt64());
        Assert.True(described.GetProperty("totalBytes").GetInt64() > 0);
        Assert.Equal("companies-copy", copy.GetProperty("index").GetProperty("name").GetString());
        Assert.False(copy.GetProperty("replaced").GetBoolean());
        Assert.Equal(["a", "b"], fetched.GetProperty("vectors").Ids());
        Assert.Equal("Acme", fetched.GetProperty("vectors")[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal([id], pruned.GetProperty("kept").EnumerateArray().Select(k => k.GetString()));
        Assert.Empty(pruned.GetProperty("deleted").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await _client.DeleteAsync($"/v1/backups/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "backup_not_found");
        await (await _client.GetAsync($"/v1/backups/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "backup_not_found");
    }

    [Fact]
    public async Task Backup_without_a_body_backs_up_every_index()
    {
        await _client.CreateIndexAsync("first");
        await _client.CreateIndexAsync("second");

        var response = await _client.PostAsync(new Uri("/v1/backups", UriKind.Relative), content: null);

        var backup = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["first", "second"], backup.GetProperty("indexes").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Restore_onto_an_existing_index_is_409_without_replace_and_200_with_it()
    {
        await _client.CreateIndexAsync("companies");
        await _client.UpsertAsync("companies", Vectors);
        var id = await BackupAsync();
        await (await _client.DeleteAsync("/v1/indexes/companies/vectors/a")).ReadJsonAsync(HttpStatusCode.NoContent);

        var refused = await _client.PostJsonAsync($"/v1/backups/{id}/restore", """{"index":"companies"}""");
        var replaced = await (await _client.PostJsonAsync($"/v1/backups/{id}/restore", """{"index":"companies","replace":true}""")).ReadJsonAsync();

        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "index_already_exists");
        Assert.True(replaced.GetProperty("replaced").GetBoolean());
        Assert.Equal(2, replaced.GetProperty("index").GetProperty("vectorCount").GetInt64());
        await (await _client.GetAsync("/v1/indexes/companies/vectors/a")).ReadJsonAsync();
    }

    [Fact]
    public async Task Restore_of_a_damaged_backup_is_409_backup_damaged_naming_the_file()
    {
        await _client.CreateIndexAsync("companies");
        var id = await BackupAsync();
        var snapshot = Path.Combine(_dataPath, NativeVectorStorage.BackupsDirectoryName, id, "companies", "snapshot.bin");
        var bytes = await File.ReadAllBytesAsync(snapshot);
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(snapshot, bytes);

        var response = await _client.PostJsonAsync($"/v1/backups/{id}/restore", """{"index":"companies","target":"copy"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "backup_damaged");
        Assert.Contains("snapshot.bin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("post", "/v1/backups", """{"indexes":["Bad Name"]}""", "indexes[0]")]
    [InlineData("post", "/v1/backups/prune", """{"daily":0}""", "")]
    [InlineData("post", "/v1/backups/prune", """{"weekly":-1}""", "weekly")]
    [InlineData("post", "/v1/backups/20261121T075306123Z-3fa9c1/restore", """{}""", "index")]
    [InlineData("post", "/v1/backups/latest/restore", """{"index":"companies"}""", "backup")]
    [InlineData("get", "/v1/backups/latest", null, "backup")]
    [InlineData("delete", "/v1/backups/latest", null, "backup")]
    public async Task Invalid_input_is_400_naming_the_field(string method, string url, string? body, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var problem = await (await _client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Contains(path, problem.ErrorPaths());
    }

    [Fact]
    public async Task Backup_of_a_missing_index_is_404_and_restore_from_a_missing_backup_is_404()
    {
        var backup = await _client.PostJsonAsync("/v1/backups", """{"indexes":["missing"]}""");
        var restore = await _client.PostJsonAsync("/v1/backups/20261121T075306123Z-3fa9c1/restore", """{"index":"companies"}""");

        await backup.AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");
        await restore.AssertProblemAsync(HttpStatusCode.NotFound, "backup_not_found");
    }
}
