namespace Theodore.Adapters.Pinecone.Tests.Support;

/// <summary>A fact that runs against the real Pinecone only when <c>THEODORE_PINECONE_API_KEY</c> is set, and says so when skipped.</summary>
public sealed class LiveFactAttribute : FactAttribute
{
    public const string ApiKeyVariable = "THEODORE_PINECONE_API_KEY";

    public LiveFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)))
        {
            Skip = $"Set {ApiKeyVariable} (and optionally THEODORE_PINECONE_CLOUD / THEODORE_PINECONE_REGION) to run against the real Pinecone; build with it set to compile the live conformance suites too.";
        }
    }
}
