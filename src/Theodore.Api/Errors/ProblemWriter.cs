using Microsoft.AspNetCore.Mvc;

namespace Theodore.Api.Errors;

/// <summary>Writes RFC 9457 problem details with Theodore's extensions: <c>code</c>, and <c>errors</c> when given.</summary>
public sealed class ProblemWriter(IProblemDetailsService problemDetails)
{
    public static string TypeFor(string code) => $"urn:theodore:error:{code}";

    public ValueTask WriteAsync(HttpContext context, int status, string code, string detail, IDictionary<string, object?>? extensions = null, Exception? exception = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Type = TypeFor(code),
            Title = Titles.For(status),
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = code;
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static class Titles
    {
        public static string For(int status) => status switch
        {
            400 => "The request is invalid.",
            401 => "Authentication is required.",
            403 => "The operation is not allowed.",
            404 => "Not found.",
            405 => "Method not allowed.",
            409 => "Conflict with the current state.",
            413 => "The request body is too large.",
            415 => "Unsupported media type.",
            429 => "Too many requests.",
            499 => "The client closed the request.",
            502 => "The storage backend failed.",
            503 => "The storage backend is unavailable.",
            504 => "The storage backend timed out.",
            507 => "Storage capacity exceeded.",
            _ => "An unexpected error occurred.",
        };
    }
}
