namespace Theodore.Infrastructure.Decorators;

/// <summary>
/// Which decorators are on when their section does not say (<c>Enabled</c> unset), per provider. Remote backends
/// (Qdrant, Pinecone) fail transiently over the network, so they get resilience and a bulkhead; the in-process
/// engine and the mock fail transiently only while opening or when injected, so they get telemetry only. The cache
/// is off everywhere by default: a stale-free cache costs a generation read per search, pays off only for repeated
/// queries, and with Redis needs an operator's choice of server.
/// </summary>
public static class DecoratorDefaults
{
    public const string Telemetry = "Telemetry";
    public const string ConcurrencyLimit = "ConcurrencyLimit";
    public const string Caching = "Caching";
    public const string Resilience = "Resilience";

    public const string SectionPrefix = "VectorStorage:Decorators:";

    public static bool IsEnabled(string decorator, string provider, bool? configured)
    {
        if (configured is { } value)
        {
            return value;
        }

        var remote = provider.Equals("Qdrant", StringComparison.OrdinalIgnoreCase) || provider.Equals("Pinecone", StringComparison.OrdinalIgnoreCase);
        return decorator switch
        {
            Telemetry => true,
            ConcurrencyLimit or Resilience => remote,
            _ => false,
        };
    }
}
