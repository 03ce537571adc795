using Theodore.Core.Domain;
using Theodore.Pinecone.Fake;

namespace Theodore.Adapters.Pinecone.Tests.Support;

/// <summary>A fake of its own and an adapter on it, for tests that read the request log or inject faults.</summary>
internal sealed class FakeScope : IAsyncDisposable
{
    private readonly List<PineconeTestHost> _hosts = [];

    private FakeScope(PineconeFake fake) => Fake = fake;

    public PineconeFake Fake { get; }

    public PineconeVectorStorage Storage => _hosts[0].Storage;

    public static async Task<FakeScope> StartAsync(PineconeFakeOptions? options = null, Action<PineconeOptions>? tweak = null)
    {
        var scope = new FakeScope(await PineconeFake.StartAsync(options));
        scope._hosts.Add(PineconeTestHost.For(scope.Fake, tweak));
        return scope;
    }

    /// <summary>Another adapter on the same fake, as a second process would be: it knows no index yet.</summary>
    public PineconeVectorStorage NewAdapter(Action<PineconeOptions>? tweak = null)
    {
        var host = PineconeTestHost.For(Fake, tweak);
        _hosts.Add(host);
        return host.Storage;
    }

    public async Task<IndexName> CreateIndexAsync(int dimension = 2, DistanceMetric metric = DistanceMetric.Euclidean, EmbeddingContract? embedding = null)
    {
        var name = IndexName.Parse("t-" + Guid.NewGuid().ToString("N")[..16]);
        await Storage.CreateIndexAsync(new IndexDefinition(name, dimension, metric, embedding));
        return name;
    }

    /// <summary>The requests received since <paramref name="mark"/> (a count of <see cref="PineconeFake.Requests"/> taken before).</summary>
    public IReadOnlyList<FakeRequest> RequestsSince(int mark) => Fake.Requests.Skip(mark).ToArray();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Fake.DisposeAsync();
    }
}
