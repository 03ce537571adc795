using Microsoft.Extensions.Time.Testing;
using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Concurrency;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class ConcurrencyLimitVectorStorageTests
{
    [Fact]
    public async Task Fifth_concurrent_call_with_limit_2_and_queue_2_is_rejected_fast_as_busy()
    {
        var gated = new Gated(new MockVectorStorage());
        using var storage = new ConcurrencyLimitVectorStorage(gated, new ConcurrencyLimitOptions { PermitLimit = 2, QueueLimit = 2, RetryAfter = TimeSpan.FromSeconds(2) });

        var first = Enumerable.Range(0, 4).Select(_ => storage.ListIndexesAsync().AsTask()).ToArray();
        Assert.Equal((2L, 2L), storage.Load);
        Assert.Equal(2, gated.Entered);

        var fifth = storage.ListIndexesAsync();
        Assert.True(fifth.IsCompleted, "the fifth call waited instead of failing at once");
        var busy = await Assert.ThrowsAsync<StorageBusyException>(async () => await fifth);
        Assert.True(busy.IsTransient);
        Assert.Equal(ErrorCodes.StorageBusy, busy.Code);
        Assert.Equal(TimeSpan.FromSeconds(2), busy.RetryAfter);

        gated.Open();
        await Task.WhenAll(first).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, gated.Entered);
        Assert.Equal((0L, 0L), storage.Load);
    }

    [Fact]
    public async Task Queued_call_that_waits_past_the_queue_timeout_is_rejected_as_busy()
    {
        var time = new FakeTimeProvider();
        var gated = new Gated(new MockVectorStorage());
        using var storage = new ConcurrencyLimitVectorStorage(gated, new ConcurrencyLimitOptions { PermitLimit = 1, QueueLimit = 1, QueueTimeout = TimeSpan.FromSeconds(3) }, time);

        var holder = storage.ListIndexesAsync().AsTask();
        var waiter = storage.ListIndexesAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(waiter.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        await Assert.ThrowsAsync<StorageBusyException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, gated.Entered);
        gated.Open();
        await holder.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Batch_and_streaming_calls_take_a_slot_too()
    {
        var gated = new Gated(new MockVectorStorage());
        await gated.CreateIndexAsync(TestStorage.Definition("slots"));
        using var storage = new ConcurrencyLimitVectorStorage(gated, new ConcurrencyLimitOptions { PermitLimit = 1, QueueLimit = 0 });

        var holder = storage.ListIndexesAsync().AsTask();
        var batch = storage.GetRequiredService<IBatchVectorStorage>();
        var stream = storage.GetRequiredService<IStreamingVectorStorage>();

        await Assert.ThrowsAsync<StorageBusyException>(async () => await batch.GetManyAsync(IndexName.Parse("slots"), [VectorId.Parse("a")]));
        await Assert.ThrowsAsync<StorageBusyException>(async () => await stream.ListAsync(IndexName.Parse("slots"), new ListRequest()));
        gated.Open();
        await holder.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(await batch.GetManyAsync(IndexName.Parse("slots"), [VectorId.Parse("a")]));
    }

    /// <summary>ListIndexes waits until <see cref="Open"/>; counts how many calls got in.</summary>
    private sealed class Gated(IVectorStorage inner) : DelegatingVectorStorage(inner)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _entered;

        public int Entered => Volatile.Read(ref _entered);

        public void Open() => _gate.TrySetResult();

        public override async ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _entered);
            await _gate.Task.WaitAsync(cancellationToken);
            return await base.ListIndexesAsync(cancellationToken);
        }
    }
}
