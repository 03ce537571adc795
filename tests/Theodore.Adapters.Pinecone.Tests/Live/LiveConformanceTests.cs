#if PINECONE_LIVE
using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Conformance;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

// The same suites against the real Pinecone. Compiled only when THEODORE_PINECONE_API_KEY is set at build time
// (xunit 2 cannot skip inherited tests at run time); each test creates and deletes its own serverless index, so a run
// costs index creations and takes minutes. Writes settle for THEODORE_PINECONE_SETTLE_MS before they are read.
namespace Theodore.Adapters.Pinecone.Tests.Live;

/// <summary>The adapter on the live service, owning its service provider, released with it.</summary>
internal sealed class LiveStorage(PineconeTestHost host) : DelegatingVectorStorage(host.Storage), IAsyncDisposable
{
    public static IVectorStorage Create() => new LiveStorage(LiveEnvironment.CreateHost());

    public ValueTask DisposeAsync() => host.DisposeAsync();
}

#pragma warning disable SA1402, MA0048 // One small subclass per suite, kept together.
public sealed class LiveBadInputTests : BadInputConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveBatchTests : BatchConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveConcurrencyTests : ConcurrencyConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveCursorListingTests : CursorListingConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveFilterTests : FilterConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveIndexLifecycleTests : IndexLifecycleConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveNamespaceTests : NamespaceConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveRecordCrudTests : RecordCrudConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveSearchSemanticsTests : SearchSemanticsConformance
{
    protected override IVectorStorage CreateStorage() => LiveStorage.Create();

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}
#pragma warning restore SA1402, MA0048
#endif
