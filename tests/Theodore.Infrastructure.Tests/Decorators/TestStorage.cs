using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Resilience;

namespace Theodore.Infrastructure.Tests.Decorators;

internal static class TestStorage
{
    public static IndexDefinition Definition(string name, int dimension = 4) => new(IndexName.Parse(name), dimension, DistanceMetric.Cosine);

    public static VectorRecord Record(string id, params float[] values) => new(VectorId.Parse(id), values);

    /// <summary>Options with no waiting anywhere, so a test of retry logic runs in microseconds.</summary>
    public static ResilienceOptions NoDelays(int retries = 3, double failureRatio = 0.5, int minimumThroughput = 100) => new()
    {
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.Zero,
        MaxDelay = TimeSpan.Zero,
        UseJitter = false,
        FailureRatio = failureRatio,
        MinimumThroughput = minimumThroughput,
    };

    public static ResilienceVectorStorage Resilient(IVectorStorage inner, ResilienceOptions options, TimeProvider? time = null)
    {
        var circuit = new CircuitBreakerStateProvider();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System };
        var pipeline = StoragePipeline.Configure(builder, options, circuit).Build();
        return new ResilienceVectorStorage(inner, pipeline, circuit, options.BreakDuration);
    }

    public static async Task<MockVectorStorage> MockWithIndexAsync(string index, double errorRate = 0, int seed = 42)
    {
        var mock = new MockVectorStorage(new MockOptions { ErrorRate = errorRate, Seed = seed });
        // setting up is not under test: the injected faults are the mock's, so try until the index exists
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await mock.CreateIndexAsync(Definition(index));
                break;
            }
            catch (Core.Errors.StorageUnavailableException) when (attempt < 50)
            {
            }
        }

        mock.ClearCalls();
        return mock;
    }
}

/// <summary>A fake clock that also remembers every timer's due time, so a test can read the delay a strategy chose.</summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly List<TimeSpan> _dueTimes = [];
    private TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_dueTimes)
            {
                return [.. _dueTimes];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_dueTimes)
        {
            _dueTimes.Add(dueTime);
        }

        Interlocked.Exchange(ref _created, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return timer;
    }

    /// <summary>Waits until a timer due after <paramref name="dueTime"/> has been created, so advancing the clock fires it.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, int count = 1)
    {
        while (true)
        {
            var next = Volatile.Read(ref _created);
            if (DueTimes.Count(t => t == dueTime) >= count)
            {
                return;
            }

            await next.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
