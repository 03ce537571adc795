using System.Net;
using System.Text;

namespace Theodore.Cli.Tests;

/// <summary>An HTTP handler that records every request and answers with what the test says.</summary>
public sealed class FakeApi : HttpMessageHandler
{
    private readonly Func<RecordedRequest, HttpResponseMessage> _answer;

    public FakeApi(Func<RecordedRequest, HttpResponseMessage> answer) => _answer = answer;

    public IList<RecordedRequest> Requests { get; } = new List<RecordedRequest>();

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    public static HttpResponseMessage Problem(HttpStatusCode status, string json) => Json(json, status, "application/problem+json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method.Method,
            request.RequestUri!,
            request.Headers.TryGetValues("Api-Key", out var keys) ? keys.Single() : null,
            request.Content?.Headers.ContentType?.MediaType,
            body);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        return _answer(recorded);
    }
}

public sealed record RecordedRequest(string Method, Uri Uri, string? ApiKey, string? ContentType, string Body)
{
    public string PathAndQuery => Uri.PathAndQuery;
}
