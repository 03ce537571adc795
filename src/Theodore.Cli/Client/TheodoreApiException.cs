using System.Net;

namespace Theodore.Cli.Client;

/// <summary>The API answered with an error status; <see cref="Problem"/> is its problem details when it sent some.</summary>
internal sealed class TheodoreApiException(HttpStatusCode status, ProblemDetails? problem, string body)
    : Exception($"{(int)status} {problem?.Code ?? status.ToString()}: {problem?.Title ?? body}")
{
    public HttpStatusCode Status { get; } = status;

    public ProblemDetails? Problem { get; } = problem;

    /// <summary>The raw body when it was not problem details (a proxy's page, say).</summary>
    public string Body { get; } = body;

    /// <summary>401 or 403: the key is missing, wrong, or read-only for a write.</summary>
    public bool IsKeyRefused => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
