using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Testing;
using Polly.Timeout;
using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators;
using Theodore.Infrastructure.Decorators.Resilience;
using Xunit.Abstractions;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class ResilienceVectorStorageTests(ITestOutputHelper output)
{
    private static readonly SearchOptions Top3 = new() { TopK = 3 };

    [Fact]
    public async Task Chaos_at_20_percent_transient_faults_at_least_99_percent_of_10000_operations_succeed()
    {
        var mock = await TestStorage.MockWithIndexAsync("chaos", errorRate: 0.2, seed: 11);
        // the breaker stays in the pipeline; at 20% injected faults its 10% default would (rightly) open it
        var storage = TestStorage.Resilient(mock, TestStorage.NoDelays(retries: 3, failureRatio: 0.9));
        var index = IndexName.Parse("chaos");
        var random = new Random(5);
        int succeeded = 0, failed = 0;

        for (var i = 0; i < 10_000; i++)
        {
            var id = "r" + random.Next(500).ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                switch (i % 10)
                {
                    case < 4:
                        await storage.SearchAsync(index, new float[] { 1, (float)random.NextDouble(), 0.5f, 0.25f }, Top3);
                        break;
                    case < 7:
                        await storage.UpsertAsync(index, TestStorage.Record(id, 1, 2, (float)random.NextDouble(), 4));
                        break;
                    case < 9:
                        await storage.GetAsync(index, VectorId.Parse(id));
                        break;
                    default:
                        await storage.DeleteAsync(index, VectorId.Parse(id));
                        break;
                }

                succeeded++;
            }
            catch (StorageUnavailableException)
            {
                failed++;
            }
        }

        var attempts = mock.Calls.Count;
        output.WriteLine($"chaos: {succeeded} of 10000 succeeded ({succeeded / 100.0:0.00}%), {failed} failed after 4 attempts, {attempts} backend calls, {attempts - 10_000} retries");
        Assert.Equal(10_000, succeeded + failed);
        Assert.True(succeeded >= 9_900, $"{succeeded} of 10000 succeeded");
        Assert.True(attempts > 11_000, $"only {attempts} backend calls: the faults were not injected or not retried");
    }

    [Fact]
    public async Task Chaos_non_transient_errors_and_non_idempotent_operations_are_never_retried()
    {
        var mock = await TestStorage.MockWithIndexAsync("present", errorRate: 0.2, seed: 3);
        var storage = TestStorage.Resilient(mock, TestStorage.NoDelays(retries: 3, failureRatio: 0.9));
        int notFound = 0, createFailed = 0;

        for (var i = 0; i < 500; i++)
        {
            try
            {
                await storage.SearchAsync(IndexName.Parse("missing"), new float[] { 1, 0, 0, 0 }, Top3);
            }
            catch (IndexNotFoundException)
            {
                notFound++;
            }
            catch (StorageUnavailableException)
            {
                // the injected fault came before the lookup; it is retried, then the lookup fails once
            }
        }

        var searchCalls = mock.Calls.Count(c => c.Operation == "Search");
        mock.ClearCalls();
        for (var i = 0; i < 500; i++)
        {
            try
            {
                await storage.CreateIndexAsync(TestStorage.Definition("created-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            catch (StorageUnavailableException)
            {
                createFailed++;
            }
        }

        output.WriteLine($"not found: {notFound}, search calls: {searchCalls}; create failed: {createFailed} of 500 with {mock.Calls.Count} calls");
        Assert.Equal(500, mock.Calls.Count);
        Assert.InRange(createFailed, 50, 150);
        // every IndexNotFound ended its operation at once: the calls are 500 plus only the retries of injected faults
        Assert.True(notFound >= 495, $"{notFound} of 500 searches ended with index_not_found");
        Assert.InRange(searchCalls, 500, 700);
    }

    [Fact]
    public async Task Circuit_opens_after_the_configured_failures_rejects_fast_half_opens_and_closes_deterministically()
    {
        var time = new FakeTimeProvider();
        var flaky = new Flaky(new MockVectorStorage(time: time));
        var options = TestStorage.NoDelays(retries: 0, failureRatio: 0.5, minimumThroughput: 4);
        options.SamplingDuration = TimeSpan.FromSeconds(10);
        options.BreakDuration = TimeSpan.FromSeconds(5);
        var storage = TestStorage.Resilient(flaky, options, time);

        flaky.Failing = true;
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<StorageUnavailableException>(async () => await storage.ListIndexesAsync());
        }

        Assert.Equal(CircuitState.Open, storage.CircuitState);
        var open = await Assert.ThrowsAsync<CircuitOpenException>(async () => await storage.ListIndexesAsync());
        Assert.Equal(TimeSpan.FromSeconds(5), open.RetryAfter);
        Assert.Equal(ErrorCodes.CircuitOpen, open.Code);
        Assert.Equal(4, flaky.Calls);

        time.Advance(TimeSpan.FromSeconds(4.9));
        await Assert.ThrowsAsync<CircuitOpenException>(async () => await storage.ListIndexesAsync());
        Assert.Equal(4, flaky.Calls);

        // half-open: one trial call goes through; it fails, so the circuit opens again for another break
        time.Advance(TimeSpan.FromSeconds(0.1));
        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await storage.ListIndexesAsync());
        Assert.Equal(5, flaky.Calls);
        Assert.Equal(CircuitState.Open, storage.CircuitState);

        time.Advance(TimeSpan.FromSeconds(5));
        flaky.Failing = false;
        await storage.ListIndexesAsync();
        Assert.Equal(CircuitState.Closed, storage.CircuitState);
        await storage.ListIndexesAsync();
        Assert.Equal(7, flaky.Calls);
    }

    [Fact]
    public async Task Retry_waits_the_RetryAfter_the_backend_asked_for()
    {
        var time = new RecordingTimeProvider();
        var flaky = new Flaky(new MockVectorStorage(time: time)) { Failing = true, FailOnce = true, RetryAfter = TimeSpan.FromSeconds(7) };
        var options = TestStorage.NoDelays(retries: 3);
        options.BaseDelay = TimeSpan.FromSeconds(1);
        options.MaxDelay = TimeSpan.FromSeconds(30);
        var storage = TestStorage.Resilient(flaky, options, time);

        var call = storage.ListIndexesAsync().AsTask();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(7));

        Assert.False(call.IsCompleted);
        Assert.Contains(TimeSpan.FromSeconds(7), time.DueTimes);
        Assert.DoesNotContain(TimeSpan.FromSeconds(1), time.DueTimes);
        time.Advance(TimeSpan.FromSeconds(7));
        await call.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, flaky.Calls);
    }

    [Fact]
    public async Task Retry_without_RetryAfter_backs_off_exponentially()
    {
        var time = new RecordingTimeProvider();
        var flaky = new Flaky(new MockVectorStorage(time: time)) { Failing = true };
        var options = TestStorage.NoDelays(retries: 3);
        options.BaseDelay = TimeSpan.FromSeconds(1);
        options.MaxDelay = TimeSpan.FromSeconds(30);
        options.TotalTimeout = TimeSpan.FromMinutes(1);
        var storage = TestStorage.Resilient(flaky, options, time);

        var call = storage.ListIndexesAsync().AsTask();
        for (var i = 0; i < 3; i++)
        {
            // advance only once the backoff's timer exists, else the clock would move before the retry waits on it
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(1 << i));
            time.Advance(TimeSpan.FromSeconds(1 << i));
            await flaky.WaitForCallAsync(i + 2);
        }

        await Assert.ThrowsAsync<StorageUnavailableException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(4, flaky.Calls);
        Assert.Contains(TimeSpan.FromSeconds(1), time.DueTimes);
        Assert.Contains(TimeSpan.FromSeconds(2), time.DueTimes);
        Assert.Contains(TimeSpan.FromSeconds(4), time.DueTimes);
    }

    [Fact]
    public async Task Attempt_timeout_surfaces_as_storage_timeout()
    {
        var time = new FakeTimeProvider();
        var hanging = new Flaky(new MockVectorStorage(time: time)) { Hang = true };
        var options = TestStorage.NoDelays(retries: 0);
        options.AttemptTimeout = TimeSpan.FromSeconds(2);
        var storage = TestStorage.Resilient(hanging, options, time);

        var call = storage.ListIndexesAsync().AsTask();
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<StorageTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(error.IsTransient);
        Assert.Equal(StorageOperations.ListIndexes, error.Operation);
    }

    [Fact]
    public void Pipeline_is_total_timeout_then_retry_then_breaker_then_attempt_timeout_with_the_standard_defaults()
    {
        var options = new ResilienceOptions();
        var pipeline = StoragePipeline.Configure(new ResiliencePipelineBuilder(), options, new CircuitBreakerStateProvider()).Build();

        var strategies = pipeline.GetPipelineDescriptor().Strategies;

        Assert.Equal(4, strategies.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<TimeoutStrategyOptions>(strategies[0].Options).Timeout);
        var retry = Assert.IsType<Polly.Retry.RetryStrategyOptions>(strategies[1].Options);
        Assert.Equal((3, DelayBackoffType.Exponential, true, TimeSpan.FromSeconds(2)), (retry.MaxRetryAttempts, retry.BackoffType, retry.UseJitter, retry.Delay));
        var breaker = Assert.IsType<CircuitBreakerStrategyOptions>(strategies[2].Options);
        Assert.Equal((0.1, 100, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), (breaker.FailureRatio, breaker.MinimumThroughput, breaker.SamplingDuration, breaker.BreakDuration));
        Assert.Equal(TimeSpan.FromSeconds(10), Assert.IsType<TimeoutStrategyOptions>(strategies[3].Options).Timeout);
    }

    [Theory]
    [InlineData(StorageOperations.Search, true)]
    [InlineData(StorageOperations.Upsert, true)]
    [InlineData(StorageOperations.DeleteMany, true)]
    [InlineData(StorageOperations.CreateIndex, false)]
    [InlineData(StorageOperations.DeleteIndex, false)]
    [InlineData(StorageOperations.CreateBackup, false)]
    public void IsIdempotent_lists_index_lifecycle_and_backups_as_not_retryable(string operation, bool idempotent) =>
        Assert.Equal(idempotent, StorageOperations.IsIdempotent(operation));

    [Fact]
    public async Task Batch_port_through_the_decorator_is_retried_and_reaches_the_adapter()
    {
        var mock = await TestStorage.MockWithIndexAsync("batch", errorRate: 0.2, seed: 1);
        var storage = TestStorage.Resilient(mock, TestStorage.NoDelays(retries: 5, failureRatio: 0.9));
        var batch = storage.GetRequiredService<IBatchVectorStorage>();
        Assert.NotSame(mock, batch);

        for (var i = 0; i < 50; i++)
        {
            var result = await batch.UpsertManyAsync(IndexName.Parse("batch"), [TestStorage.Record("a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, 2, 3, 4)]);
            Assert.True(result.IsComplete);
        }

        var stored = await storage.GetRequiredService<IStreamingVectorStorage>().ScanAsync(IndexName.Parse("batch"), new ListRequest { Limit = 7 }).CountAsync();
        Assert.Equal(50, stored);
    }

    /// <summary>Fails ListIndexes while <see cref="Failing"/> (once when <see cref="FailOnce"/>), or never answers while <see cref="Hang"/>.</summary>
    private sealed class Flaky(IVectorStorage inner) : DelegatingVectorStorage(inner)
    {
        private TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public bool Failing { get; set; }

        public bool FailOnce { get; set; }

        public bool Hang { get; set; }

        public TimeSpan? RetryAfter { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public async Task WaitForCallAsync(int count)
        {
            while (true)
            {
                var next = Volatile.Read(ref _called);
                if (Calls >= count)
                {
                    return;
                }

                await next.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        public override async ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Exchange(ref _called, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (Failing)
            {
                Failing = !FailOnce;
                throw new StorageUnavailableException("down") { RetryAfter = RetryAfter };
            }

            return await base.ListIndexesAsync(cancellationToken);
        }
    }
}
