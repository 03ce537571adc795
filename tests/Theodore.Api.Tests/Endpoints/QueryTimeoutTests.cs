using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Theodore.Adapters.Mock;
using Theodore.Adapters.Native;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Api.Tests.Endpoints;

/// <summary>
/// <c>timeoutMs</c> on a query and <c>Api:DefaultQueryTimeoutMs</c>: past the deadline the search stops and answers 504
/// <c>timeout</c>; a client that goes away stops the search too.
/// </summary>
public sealed class QueryTimeoutTests
{
    [Fact]
    public async Task Query_on_the_native_engine_that_cannot_finish_in_1_ms_answers_504_timeout_naming_the_deadline()
    {
        // 50,000 x 512 floats: an exact scan reads 100 MB, tens of milliseconds on any machine
        const int Dimension = 512;
        const int Count = 50_000;
        await using var native = new NativeVectorStorage();
        var index = IndexName.Parse("slow");
        await native.CreateIndexAsync(new IndexDefinition(index, Dimension, DistanceMetric.Euclidean, hnsw: new HnswOptions(m: 4, efConstruction: 8)));
        var random = new Random(3);
        for (int start = 0; start < Count; start += 5_000)
        {
            var records = Enumerable.Range(start, 5_000)
                .Select(i => new VectorRecord(VectorId.Parse("r" + i.ToString(CultureInfo.InvariantCulture)), Vector(random, Dimension)))
                .ToArray();
            await native.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(index, records);
        }

        using var factory = new TheodoreApiFactory().WithStorage(native);
        using var client = factory.CreateClient();
        var query = "[" + string.Join(",", Vector(random, Dimension).Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

        using var ok = await client.PostJsonAsync("/v1/indexes/slow/query", $$"""{"vector":{{query}},"topK":5,"exact":true,"timeoutMs":60000}""");
        Assert.Equal(5, (await ok.ReadJsonAsync()).GetProperty("matches").GetArrayLength());

        // a 1 ms timer that a loaded machine runs only after the whole scan proves nothing either way: try again
        HttpResponseMessage late = null!;
        var clock = new Stopwatch();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            clock.Restart();
            late = await client.PostJsonAsync("/v1/indexes/slow/query", $$"""{"vector":{{query}},"topK":5,"exact":true,"timeoutMs":1}""");
            clock.Stop();
            if (late.StatusCode != HttpStatusCode.OK)
            {
                break;
            }

            late.Dispose();
        }

        using var answer = late;
        var problem = await late.AssertProblemAsync(HttpStatusCode.GatewayTimeout, "timeout");
        Assert.Contains("deadline of 1 ms", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("slow", problem.GetProperty("index").GetString());
        Assert.False(late.Headers.Contains("Retry-After"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Query_slower_than_its_timeoutMs_answers_504_at_the_deadline_not_when_the_backend_would_finish()
    {
        // The Mock waits 1 ms per call until the index exists, then its clock stalls: from then on the backend never
        // answers on its own, while the 50 ms deadline runs on the real clock, so a 504 can only come from the
        // deadline. (A bound on wall time just under the backend's latency cannot tell the two apart on a starved
        // 2-core runner, where a timer's callback waits for a pool thread: it failed CI at 1.6 and 2.6 s against 1.2 s.)
        var backendClock = new StallingTimeProvider();
        var slow = new MockVectorStorage(new MockOptions { LatencyMs = 1 }, backendClock);
        using var factory = new TheodoreApiFactory().WithStorage(slow);
        using var client = factory.CreateClient();
        await client.CreateIndexAsync("waits");
        backendClock.Stall();

        var clock = Stopwatch.StartNew();
        using var response = await client.PostJsonAsync("/v1/indexes/waits/query", """{"vector":[1,0,0],"topK":1,"timeoutMs":50}""")
            .WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();

        var problem = await response.AssertProblemAsync(HttpStatusCode.GatewayTimeout, "timeout");
        Assert.Contains("deadline of 50 ms", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(45), $"answered after {clock.Elapsed.TotalMilliseconds:F0} ms, before its deadline");
        Assert.Equal("Search", slow.Calls[^1].Operation);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("300001")]
    public async Task Query_with_a_timeoutMs_out_of_range_is_400_listing_it_with_the_other_problems(string timeoutMs)
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();
        await client.CreateIndexAsync("bounds");

        using var response = await client.PostJsonAsync("/v1/indexes/bounds/query", $$"""{"vector":[1,0,0],"topK":0,"timeoutMs":{{timeoutMs}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(["topK", "timeoutMs"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Similar_and_searched_companies_refuse_a_timeoutMs_out_of_range()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();

        using var similar = await client.GetAsync("/v1/companies/acme/similar?timeoutMs=0");
        using var search = await client.PostJsonAsync("/v1/companies/search", """{"text":"payments","timeoutMs":-1}""");

        Assert.Equal(["timeoutMs"], (await similar.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request")).ErrorPaths());
        Assert.Equal(["timeoutMs"], (await search.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request")).ErrorPaths());
    }

    [Theory]
    [InlineData(null, null, 30_000)]
    [InlineData("250", null, 250)]
    [InlineData("250", 1234, 1234)]
    [InlineData("0", null, null)]
    public async Task Query_without_timeoutMs_gets_the_configured_default_and_one_with_it_keeps_its_own(string? defaultMs, int? requested, int? expected)
    {
        var recorder = new RecordingStorage(new MockVectorStorage());
        var settings = defaultMs is null ? [] : new Dictionary<string, string?> { ["Api:DefaultQueryTimeoutMs"] = defaultMs };
        using var factory = new TheodoreApiFactory(settings).WithStorage(recorder);
        using var client = factory.CreateClient();
        await client.CreateIndexAsync("defaults");
        var timeout = requested is { } ms ? $",\"timeoutMs\":{ms}" : string.Empty;

        using var byVector = await client.PostJsonAsync("/v1/indexes/defaults/query", $$"""{"vector":[1,0,0],"topK":1{{timeout}}}""");
        await client.UpsertAsync("defaults", """[{"id":"a","values":[1,0,0]}]""");
        using var byId = await client.PostJsonAsync("/v1/indexes/defaults/query", $$"""{"id":"a","topK":1{{timeout}}}""");

        Assert.Equal(HttpStatusCode.OK, byVector.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        var want = expected is { } e ? TimeSpan.FromMilliseconds(e) : (TimeSpan?)null;
        Assert.Equal([want, want], recorder.Timeouts);
    }

    [Fact]
    public async Task Query_whose_client_goes_away_stops_the_search_and_writes_no_answer()
    {
        var blocking = new BlockingStorage(new MockVectorStorage());
        using var factory = new TheodoreApiFactory().WithStorage(blocking);
        using var client = factory.CreateClient();
        await client.CreateIndexAsync("abandoned");

        using var gone = new CancellationTokenSource();
        using var body = new StringContent("""{"vector":[1,0,0],"topK":1,"timeoutMs":60000}""", Encoding.UTF8, "application/json");
        var call = client.PostAsync(new Uri("/v1/indexes/abandoned/query", UriKind.Relative), body, gone.Token);
        await blocking.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await gone.CancelAsync();

        // the token the port was given fires when the client disconnects, long before the 60 s deadline
        var stoppedBy = await blocking.Stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(stoppedBy < TimeSpan.FromSeconds(10), $"the search stopped {stoppedBy.TotalMilliseconds:F0} ms after it started");
    }

    private static float[] Vector(Random random, int dimension)
    {
        var values = new float[dimension];
        for (int i = 0; i < dimension; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>The system's clock, whose timers never fire once <see cref="Stall"/> is called.</summary>
    private sealed class StallingTimeProvider : TimeProvider
    {
        private volatile bool _stalled;

        public void Stall() => _stalled = true;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, _stalled ? Timeout.InfiniteTimeSpan : dueTime, _stalled ? Timeout.InfiniteTimeSpan : period);
    }

    /// <summary>Records the deadline every search arrives with.</summary>
    private sealed class RecordingStorage(IVectorStorage inner) : DelegatingVectorStorage(inner)
    {
        private readonly List<TimeSpan?> _timeouts = [];

        public IReadOnlyList<TimeSpan?> Timeouts
        {
            get
            {
                lock (_timeouts)
                {
                    return [.. _timeouts];
                }
            }
        }

        public override ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default)
        {
            Note(options);
            return base.SearchAsync(index, vector, options, cancellationToken);
        }

        public override ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default)
        {
            Note(options);
            return base.SearchByIdAsync(index, id, options, cancellationToken);
        }

        private void Note(SearchOptions options)
        {
            lock (_timeouts)
            {
                _timeouts.Add(options.Timeout);
            }
        }
    }

    /// <summary>A search that works until its token is cancelled, and says when that happened.</summary>
    private sealed class BlockingStorage(IVectorStorage inner) : DelegatingVectorStorage(inner)
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<TimeSpan> Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.StartNew();
            Entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable: the delay is infinite");
            }
            catch (OperationCanceledException)
            {
                Stopped.TrySetResult(started.Elapsed);
                throw;
            }
        }
    }
}
