namespace Theodore.Adapters.Qdrant.Tests.Live;

/// <summary>A real Qdrant named by THEODORE_QDRANT_URL (gRPC, e.g. http://localhost:6334) and THEODORE_QDRANT_API_KEY.</summary>
internal static class LiveQdrant
{
    public const string UrlVariable = "THEODORE_QDRANT_URL";
    public const string ApiKeyVariable = "THEODORE_QDRANT_API_KEY";

    public static string? Url => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : null;

    public static QdrantVectorStorage Storage() => new(new QdrantOptions
    {
        Endpoint = Url ?? throw new InvalidOperationException($"{UrlVariable} is not set."),
        ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable),
    });
}

/// <summary>A fact that runs only against a real Qdrant: skipped, saying why, when THEODORE_QDRANT_URL is not set.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LiveQdrantFactAttribute : FactAttribute
{
    public LiveQdrantFactAttribute()
    {
        if (LiveQdrant.Url is null)
        {
            Skip = $"Set {LiveQdrant.UrlVariable} (and {LiveQdrant.ApiKeyVariable} if the server needs one) to run against a real Qdrant; the conformance suites then compile against it too.";
        }
    }
}
