using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Conformance;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Pinecone.Fake;

namespace Theodore.Adapters.Pinecone.Tests.Conformance;

/// <summary>
/// The record suite once more on a fake whose writes become visible only after 150 ms, as on serverless Pinecone:
/// the suite's SettleAsync hook waits for them, which shows the adapter adds no read-after-write promise of its own.
/// </summary>
public sealed class PineconeEventualRecordCrudTests : RecordCrudConformance
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(150);
    private static readonly Lazy<Task<PineconeFake>> DelayedFake = new(() => PineconeFake.StartAsync(new PineconeFakeOptions { VisibilityDelay = Delay }));
    private PineconeTestHost? _host;

    protected override IVectorStorage CreateStorage()
    {
        _host = PineconeTestHost.For(DelayedFake.Value.GetAwaiter().GetResult());
        return _host.Storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage)
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Assert.Empty((await DelayedFake.Value).SpecViolations);
    }

    protected override Task SettleAsync(IndexName index) => Task.Delay(Delay + TimeSpan.FromMilliseconds(50));
}
