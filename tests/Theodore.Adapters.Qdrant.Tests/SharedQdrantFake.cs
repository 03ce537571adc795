using Theodore.Adapters.Qdrant;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>One fake server for the conformance suites (each test uses its own uniquely named index); started once.</summary>
internal static class SharedQdrantFake
{
    private static readonly Lazy<Task<QdrantFake>> Fake = new(() => QdrantFake.StartAsync());

    public static Task<QdrantFake> GetAsync() => Fake.Value;

    public static QdrantVectorStorage Storage(QdrantFake fake, Action<QdrantOptions>? configure = null)
    {
        var options = new QdrantOptions { Endpoint = fake.Endpoint.ToString() };
        configure?.Invoke(options);
        return new QdrantVectorStorage(options);
    }
}
