using System.Diagnostics;
using Xunit.Abstractions;

namespace Theodore.Engine.Tests;

/// <summary>A cancelled token (a query's deadline, or a caller that went away) stops a search while it works.</summary>
public sealed class CancellationTests(ITestOutputHelper output)
{
    private const int Dimension = 256;

    // Large enough that a full scan takes tens of milliseconds even on a fast core; stored unlinked so filling it
    // costs a copy per record, not a graph build.
    private const int ScanRecords = 200_000;

    private static readonly Lazy<VectorIndex> Unlinked = new(BuildUnlinked);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Search_deadlinePassesMidScan_stopsPromptlyInsteadOfFinishing(bool exact)
    {
        var index = Unlinked.Value;
        var query = TestData.Gaussian(new Random(5), Dimension, 1.0);
        index.Search(query, 10, exact: exact); // warm: pages touched, JIT done

        var full = Stopwatch.StartNew();
        var expected = index.Search(query, 10, exact: exact);
        full.Stop();

        Assert.Equal(10, expected.Length);
        var deadline = TimeSpan.FromMilliseconds(2);
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            using var timer = new CancellationTokenSource();
            long cancelledAt = 0;
            using var noted = timer.Token.Register(() => Interlocked.Exchange(ref cancelledAt, Stopwatch.GetTimestamp()));
            // A thread of its own cancels at the deadline: a pool timer can wait behind a busy pool (CI runs the test
            // projects side by side) for longer than the whole scan, and then this attempt would show nothing.
            var started = Stopwatch.GetTimestamp();
            var done = 0;
            var canceller = new Thread(() =>
            {
                while (Volatile.Read(ref done) == 0 && Stopwatch.GetElapsedTime(started) < deadline)
                {
                    Thread.SpinWait(100);
                }

                timer.Cancel();
            }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            canceller.Start();
            var error = Record.Exception(() => index.Search(query, 10, exact: exact, cancellationToken: timer.Token));
            long returned = Stopwatch.GetTimestamp();
            Volatile.Write(ref done, 1);
            canceller.Join();
            long at = Interlocked.Read(ref cancelledAt);
            if (error is null && (at == 0 || at > returned))
            {
                // an overloaded machine ran the timer only after the whole scan: this attempt shows nothing either way
                output.WriteLine($"exact={exact}: attempt {attempt}: the canceller ran only after the search returned (a full scan takes {full.Elapsed.TotalMilliseconds:F1} ms)");
                continue;
            }

            // The token was not cancelled when the search began, so throwing at all means a check inside the scan saw it;
            // measured from the moment the token was cancelled, so a late timer does not count against the engine.
            Assert.True(error is OperationCanceledException, $"the token was cancelled during the scan but the search finished ({error})");
            var late = at == 0 || at > returned ? TimeSpan.Zero : Stopwatch.GetElapsedTime(at, returned);
            output.WriteLine($"exact={exact}: full scan {full.Elapsed.TotalMilliseconds:F1} ms; stopped {late.TotalMilliseconds:F3} ms after the token was cancelled");
            Assert.True(late < TimeSpan.FromMilliseconds(50), $"stopped {late.TotalMilliseconds:F1} ms after the token was cancelled; the full scan takes {full.Elapsed.TotalMilliseconds:F1} ms");
            Assert.Equal(expected.Select(h => h.Key), index.Search(query, 10, exact: exact).Select(h => h.Key), StringComparer.Ordinal);
            return;
        }

        Assert.Fail("in 5 attempts the canceller never ran while the scan did");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Search_alreadyCancelled_throwsBeforeAnyWork(bool exact)
    {
        var index = TestData.Build(DistanceMetric.Euclidean, TestData.Clustered(500, 16, 5, seed: 3), m: 8, efConstruction: 32);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => index.Search(new float[16], 5, exact: exact, cancellationToken: cancelled.Token));

        // the pooled search context went back whole: the next search answers as usual
        Assert.Equal(5, index.Search(new float[16], 5, exact: exact).Length);
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Manhattan)]
    public void Search_generousDeadline_sameResultAsWithout(DistanceMetric metric)
    {
        var rows = TestData.Clustered(3000, 24, 30, seed: 11);
        var index = TestData.Build(metric, rows, m: 8, efConstruction: 64, metadata: i => new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["even"] = i % 2 == 0 });
        var filter = EngineFilter.Eq("even", true);
        using var generous = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        foreach (var query in TestData.Clustered(20, 24, 30, seed: 12))
        {
            AssertSame(index.Search(query, 10), index.Search(query, 10, cancellationToken: generous.Token));
            AssertSame(index.Search(query, 10, exact: true), index.Search(query, 10, exact: true, cancellationToken: generous.Token));
            AssertSame(index.Search(query, 10, ef: 200, filter: filter), index.Search(query, 10, ef: 200, filter: filter, cancellationToken: generous.Token));
        }
    }

    private static void AssertSame(SearchHit[] expected, SearchHit[] actual)
    {
        Assert.Equal(expected.Select(h => h.Key), actual.Select(h => h.Key), StringComparer.Ordinal);
        Assert.Equal(expected.Select(h => h.Distance), actual.Select(h => h.Distance));
    }

    private static VectorIndex BuildUnlinked()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = Dimension, Metric = DistanceMetric.Euclidean, M = 4, EfConstruction = 8 });
        index.StopLinker();
        index.MaxPendingLinks = int.MaxValue;
        var random = new Random(1);
        const int Chunk = 10_000;
        for (int start = 0; start < ScanRecords; start += Chunk)
        {
            var records = new EngineRecord[Chunk];
            for (int i = 0; i < Chunk; i++)
            {
                records[i] = new EngineRecord(TestData.Key(start + i), TestData.Gaussian(random, Dimension, 1.0), new Dictionary<string, EngineValue>(StringComparer.Ordinal));
            }

            index.UpsertMany(records, maxDegreeOfParallelism: 1);
        }

        Assert.Equal(ScanRecords, index.PendingLinks);
        return index;
    }
}
