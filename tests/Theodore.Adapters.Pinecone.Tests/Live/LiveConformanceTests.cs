#if PINECONE_LIVE
using Theodore.Conformance;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

// The same suites against the real Pinecone. Compiled only when THEODORE_PINECONE_API_KEY is set at build time
// (xunit 2 cannot skip inherited tests at run time); each test creates and deletes its own serverless index, so a run
// costs index creations and takes minutes. Writes settle for THEODORE_PINECONE_SETTLE_MS before they are read.
namespace Theodore.Adapters.Pinecone.Tests.Live;

public abstract class LiveHost
{
    internal static (IVectorStorage Storage, Func<ValueTask> Release) Create()
    {
        var host = LiveEnvironment.CreateHost();
        return (host.Storage, host.DisposeAsync);
    }
}

#pragma warning disable SA1402, MA0048 // One small subclass per suite, kept together.
public sealed class LiveBadInputTests : BadInputConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveBatchTests : BatchConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveConcurrencyTests : ConcurrencyConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveCursorListingTests : CursorListingConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveFilterTests : FilterConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveIndexLifecycleTests : IndexLifecycleConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveNamespaceTests : NamespaceConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveRecordCrudTests : RecordCrudConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}

public sealed class LiveSearchSemanticsTests : SearchSemanticsConformance
{
    private Func<ValueTask>? _release;

    protected override IVectorStorage CreateStorage()
    {
        (var storage, _release) = LiveHost.Create();
        return storage;
    }

    protected override async ValueTask DisposeStorageAsync(IVectorStorage storage) => await (_release?.Invoke() ?? ValueTask.CompletedTask);

    protected override Task SettleAsync(IndexName index) => Task.Delay(LiveEnvironment.Settle);
}
#pragma warning restore SA1402, MA0048
#endif
