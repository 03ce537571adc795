using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Theodore.Cli.Client;

/// <summary>
/// A typed client for <c>/v1/companies</c> (docs/companies.md) over one <see cref="HttpClient"/> whose base address is
/// the API's. It throws <see cref="TheodoreUnreachableException"/> when no answer comes and
/// <see cref="TheodoreApiException"/> for an error status. 429 and 503 with a short <c>Retry-After</c> are retried.
/// </summary>
internal sealed class TheodoreClient
{
    public const string ApiKeyHeader = "Api-Key";
    public const string NdjsonMediaType = "application/x-ndjson";

    private const int MaxRetries = 3;
    private static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(30);
    private static readonly CliJsonContext Json = CliJsonContext.Default;

    private readonly HttpClient _http;

    public TheodoreClient(HttpClient http, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs the API's base address.", nameof(http));
        }

        _http = http;
        ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

    public Uri BaseAddress => _http.BaseAddress!;

    private string? ApiKey { get; }

    public Task<ApiResponse<Company>> GetAsync(string id, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, CompanyPath(id)), Json.Company, ct);

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Delete, CompanyPath(id)), ct).ConfigureAwait(false);
    }

    /// <summary>One chunk of the import: <paramref name="ndjson"/> holds one company per line.</summary>
    public Task<ApiResponse<ImportResponse>> ImportAsync(ReadOnlyMemory<byte> ndjson, CancellationToken ct) =>
        SendAsync(
            () =>
            {
                var content = new ReadOnlyMemoryContent(ndjson);
                content.Headers.ContentType = new MediaTypeHeaderValue(NdjsonMediaType);
                return new HttpRequestMessage(HttpMethod.Post, "v1/companies/import") { Content = content };
            },
            Json.ImportResponse,
            ct);

    public Task<ApiResponse<SimilarResponse>> SimilarAsync(string id, SimilarQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<string>();
        Add("topK", query.TopK?.ToString(CultureInfo.InvariantCulture));
        Add("industry", query.Industry);
        Add("country", query.Country);
        Add("size", query.Size);
        Add("foundedFrom", query.FoundedFrom?.ToString(CultureInfo.InvariantCulture));
        Add("foundedTo", query.FoundedTo?.ToString(CultureInfo.InvariantCulture));
        foreach (var tag in query.Tags ?? [])
        {
            Add("tag", tag);
        }

        Add("minScore", query.MinScore?.ToString("R", CultureInfo.InvariantCulture));
        var path = CompanyPath(id) + "/similar" + (parameters.Count == 0 ? "" : "?" + string.Join('&', parameters));
        return SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), Json.SimilarResponse, ct);

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parameters.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
    }

    public Task<ApiResponse<SearchResponse>> SearchAsync(SearchRequest request, CancellationToken ct) =>
        SendAsync(() => PostJson("v1/companies/search", request, Json.SearchRequest), Json.SearchResponse, ct);

    public Task<ApiResponse<StatsResponse>> StatsAsync(CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "v1/companies/stats"), Json.StatsResponse, ct);

    public Task<ApiResponse<ReembedStatus>> StartReembedAsync(ReembedRequest request, CancellationToken ct) =>
        SendAsync(() => PostJson("v1/companies/reembed", request, Json.ReembedRequest), Json.ReembedStatus, ct);

    public Task<ApiResponse<ReembedStatus>> ReembedStatusAsync(CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "v1/companies/reembed"), Json.ReembedStatus, ct);

    private static string CompanyPath(string id) => "v1/companies/" + Uri.EscapeDataString(id);

    private static HttpRequestMessage PostJson<T>(string path, T body, JsonTypeInfo<T> type) =>
        new(HttpMethod.Post, path) { Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } };

    private async Task<ApiResponse<T>> SendAsync<T>(Func<HttpRequestMessage> request, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendRawAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException e)
        {
            throw new TheodoreApiException(response.StatusCode, null, $"the answer is not the expected JSON ({e.Message}): {Shorten(text)}");
        }

        return value is null
            ? throw new TheodoreApiException(response.StatusCode, null, "the answer is empty")
            : new ApiResponse<T>(value, text);
    }

    /// <summary>A successful response (the caller disposes it), or the exception that says why there is none.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> createRequest, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = createRequest();
            if (ApiKey is not null)
            {
                request.Headers.Add(ApiKeyHeader, ApiKey);
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                throw new TheodoreUnreachableException(BaseAddress, Innermost(e).Message, e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new TheodoreUnreachableException(BaseAddress, $"no answer within {_http.Timeout.TotalSeconds:0} s", e);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (attempt < MaxRetries && RetryWait(response) is { } wait)
                {
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                    continue;
                }

                throw await ErrorAsync(response, ct).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan? RetryWait(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
        {
            return null;
        }

        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w && w <= MaxRetryWait ? (w < TimeSpan.Zero ? TimeSpan.Zero : w) : null;
    }

    private static async Task<TheodoreApiException> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        ProblemDetails? problem = null;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = JsonSerializer.Deserialize(body, Json.ProblemDetails);
            }
            catch (JsonException)
            {
                // Not problem details after all: the raw body is reported instead.
            }
        }

        return new TheodoreApiException(response.StatusCode, problem, Shorten(body));
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : string.Concat(text.AsSpan(0, 500), "…");
}
