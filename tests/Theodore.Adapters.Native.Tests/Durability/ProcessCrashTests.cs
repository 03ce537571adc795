using System.Diagnostics;
using System.Globalization;
using Theodore.Core.Domain;
using Theodore.CrashHost;
using Xunit.Abstractions;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests.Durability;

/// <summary>
/// A real process writes acknowledged batches in Sync mode and is killed with SIGKILL at random moments, again and
/// again on one data directory. After each kill the directory is reopened here and checked: every acknowledged id
/// is present and byte-equal, no unknown id and no duplicate appears, and at the end search recall holds.
/// </summary>
public sealed class ProcessCrashTests(ITestOutputHelper output)
{
    internal const int Seed = 20_260_101;

    [Fact]
    public async Task Sigkill_at_random_moments_loses_no_acknowledged_batch()
    {
        var cycles = int.TryParse(Environment.GetEnvironmentVariable("THEODORE_CRASH_CYCLES"), CultureInfo.InvariantCulture, out var n) ? n : 50;
        await RunCyclesAsync(cycles, mode: null);
    }

    /// <summary>
    /// The same with a quantized index whose floats live in scratch files under the data path: fewer kills (the
    /// durable paths are the ones above), enough to kill it mid-batch, mid-checkpoint and while its codes are built.
    /// </summary>
    [Theory]
    [InlineData("int4")]
    [InlineData("binary")]
    public async Task Sigkill_of_a_quantized_index_loses_no_acknowledged_batch(string kind)
    {
        var cycles = int.TryParse(Environment.GetEnvironmentVariable("THEODORE_CRASH_CYCLES"), CultureInfo.InvariantCulture, out var n) ? Math.Max(5, n / 5) : 10;
        await RunCyclesAsync(cycles, kind);
    }

    private async Task RunCyclesAsync(int cycles, string? mode)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Theodore.CrashHost.dll");
        Assert.True(File.Exists(host), $"the crash host is not next to the tests: {host}");
        var directory = new TempDataDirectory();
        var random = new Random(Seed);
        var acknowledged = new SortedSet<int>();
        var nextBatch = 0;
        var highestAttempted = -1;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                var acks = await RunAndKillAsync(host, directory.Path, nextBatch, random.Next(0, 40), TimeSpan.FromMilliseconds(random.Next(0, 20)), mode);
                highestAttempted = Math.Max(highestAttempted, acks.Count == 0 ? nextBatch : acks[^1] + 1);
                acknowledged.UnionWith(acks);
                if (acks.Count > 0)
                {
                    nextBatch = acks[^1] + 1;
                }

                // The host never rewrites an acknowledged batch, so a batch lost at any kill is still missing at the
                // next check; checking every fifth restart (and the last) keeps the test inside its time budget.
                if (cycle % 5 == 4 || cycle == cycles - 1)
                {
                    await VerifyAsync(directory, acknowledged, highestAttempted, checkRecall: cycle == cycles - 1, mode);
                }
            }

            output.WriteLine($"{mode ?? "unquantized"}: {cycles} kills in {clock.Elapsed.TotalSeconds:F0} s, {acknowledged.Count} acknowledged batches of {CrashWorkload.BatchSize}, none lost");
            Assert.True(acknowledged.Count >= cycles / 2, $"only {acknowledged.Count} batches were acknowledged in {cycles} cycles; the kills came too early to test much");
        }
        finally
        {
            directory.Delete();
        }
    }

    /// <summary>Kills the host a random moment after it acknowledged <paramref name="afterAcks"/> batches, which bounds the data a run adds.</summary>
    internal static async Task<List<int>> RunAndKillAsync(string host, string dataPath, int firstBatch, int afterAcks, TimeSpan delay, string? mode = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { host, dataPath, Seed.ToString(CultureInfo.InvariantCulture), firstBatch.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (mode is not null)
        {
            start.ArgumentList.Add(mode);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var acks = new List<int>();
        var ready = await process.StandardOutput.ReadLineAsync();
        if (ready != "READY")
        {
            Assert.Fail($"the host did not start: {ready} {await stderr}");
        }

        // Lines the host printed before it died were acknowledged before it died; read them all after the kill.
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = ReadAcksAsync(process.StandardOutput, acks, afterAcks, enough);
        await Task.WhenAny(enough.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        await Task.Delay(delay);
        process.Kill();
        await process.WaitForExitAsync();
        await reading;
        return acks;
    }

    private static async Task ReadAcksAsync(StreamReader reader, List<int> acks, int enoughAt, TaskCompletionSource enough)
    {
        if (enoughAt == 0)
        {
            enough.TrySetResult();
        }

        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("ACK ", StringComparison.Ordinal))
            {
                lock (acks)
                {
                    acks.Add(int.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                    if (acks.Count >= enoughAt)
                    {
                        enough.TrySetResult();
                    }
                }
            }
        }
    }

    private static async Task VerifyAsync(TempDataDirectory directory, SortedSet<int> acknowledged, int highestAttempted, bool checkRecall, string? mode)
    {
        await using var storage = await directory.OpenAsync();
        if (acknowledged.Count == 0 && (await storage.ListIndexesAsync()).Count == 0)
        {
            return;
        }

        var quantization = (await storage.DescribeIndexAsync(CrashWorkload.Index)).Definition.Quantization;
        Assert.Equal(mode ?? "none", QuantizationOptions.ToName(quantization?.Kind ?? VectorQuantization.None));

        var records = await ReadAllAsync(storage, CrashWorkload.Index);
        foreach (var (id, record) in records)
        {
            var batch = CrashWorkload.BatchOf(id);
            Assert.True(batch >= 0 && batch <= highestAttempted, $"unknown id {id}");
            var item = int.Parse(id.AsSpan(8, 2), CultureInfo.InvariantCulture);
            Assert.True(SameBytes(CrashWorkload.Vector(Seed, batch, item), record.Values), $"the vector of {id} is not what was written");
            Assert.Equal(CrashWorkload.Metadata(batch), record.Metadata);
        }

        foreach (var batch in acknowledged)
        {
            for (var item = 0; item < CrashWorkload.BatchSize; item++)
            {
                Assert.True(records.ContainsKey(CrashWorkload.Id(batch, item)), $"acknowledged id {CrashWorkload.Id(batch, item)} is missing");
            }
        }

        var integrity = await storage.CheckIntegrityAsync(CrashWorkload.Index);
        Assert.True(integrity.IsHealthy, "integrity after the restart: " + string.Join("; ", integrity.Problems.Select(p => p.Message)));
        Assert.Equal(records.Count, integrity.RecordsChecked);

        if (checkRecall)
        {
            // 16 bits per record cannot rank 16-d neighbours as well (ADR 0021): binary gets a lower floor.
            await AssertRecallAsync(storage, records.Count, mode == "binary" ? 0.8 : 0.95);
        }
    }

    /// <summary>
    /// Recall of the recovered graph against exact answers. It is there to catch a graph the restarts broke, not to
    /// tune a hard set (uniform 16-d, M 8): at the default ef 64 this set's recall is 0.94-0.98, depending on the
    /// records the kills left, and over 30 queries it once fell below a 0.95 floor in CI. A wide beam (ef 200) over
    /// 200 queries puts an intact graph well above the floor, and a broken one still below it.
    /// </summary>
    private static async Task AssertRecallAsync(NativeVectorStorage storage, int count, double floor)
    {
        const int k = 10;
        double found = 0;
        var queries = 0;
        for (var q = 0; q < 200 && count > k; q++, queries++)
        {
            var query = CrashWorkload.Vector(Seed + 1, q, 0);
            var approximate = await storage.SearchAsync(CrashWorkload.Index, query, new SearchOptions { TopK = k, Ef = 200 });
            var exact = await storage.SearchAsync(CrashWorkload.Index, query, new SearchOptions { TopK = k, Exact = true });
            var truth = exact.Matches.Select(m => m.Id.Value).ToHashSet(StringComparer.Ordinal);
            found += approximate.Matches.Count(m => truth.Contains(m.Id.Value));
        }

        if (queries > 0)
        {
            var recall = found / (queries * k);
            Assert.True(recall >= floor, $"recall@{k} after the restarts is {recall:F3}");
        }
    }
}
