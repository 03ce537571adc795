using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Theodore.Api.Tests.Endpoints;

/// <summary>One API host on the Mock provider shared by a test class; every test uses its own index names.</summary>
public sealed class ApiFixture : IDisposable
{
    private readonly TheodoreApiFactory _factory = new();

    public ApiFixture() => Client = _factory.CreateClient();

    public HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
    }
}

internal static class ApiClientExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(new Uri(url, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, string json) =>
        client.PutAsync(new Uri(url, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string url) =>
        client.GetAsync(new Uri(url, UriKind.Relative));

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string url) =>
        client.DeleteAsync(new Uri(url, UriKind.Relative));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task CreateIndexAsync(this HttpClient client, string name, int dimension = 3, string metric = "cosine", object? embedding = null)
    {
        var response = await client.PostAsJsonAsync("/v1/indexes", new { name, dimension, metric, embedding });
        await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    public static async Task UpsertAsync(this HttpClient client, string index, string vectorsJson, string? ns = null)
    {
        var nsPart = ns is null ? string.Empty : $"\"namespace\":\"{ns}\",";
        var response = await client.PostJsonAsync($"/v1/indexes/{index}/vectors/upsert", "{" + nsPart + "\"vectors\":" + vectorsJson + "}");
        await response.ReadJsonAsync();
    }

    /// <summary>The (path, code) of each entry of a problem's <c>errors</c> list.</summary>
    public static IReadOnlyList<string> ErrorPaths(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!)];

    public static IReadOnlyList<string> ErrorCodes(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()!)];

    public static IReadOnlyList<string> Ids(this JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
}
