using System.Globalization;
using Theodore.Engine.Durability;
using Xunit.Abstractions;

namespace Theodore.Engine.Tests.Durability;

/// <summary>
/// Seeded power-loss runs through <see cref="CrashSimFileSystem"/>: the fake key-value machine appends, bursts of
/// concurrent appends and checkpoints until the power goes at a random flush, directory sync, rename or delete (or
/// after the last step); unflushed writes are then kept, dropped or garbled and the store is reopened, sometimes after
/// a second power loss during recovery. Allowed outcome: the reopen succeeds — always, because the sim never damages
/// flushed bytes, so even a <see cref="CorruptDataException"/> fails the run — and the recovered state is the snapshot
/// of an attempted checkpoint plus a contiguous run of logged operations that
/// <list type="bullet">
/// <item>holds every acknowledged operation (in Batched mode: every one acknowledged before a completed flush), at the
/// LSN it was acknowledged with and byte-equal;</item>
/// <item>holds nothing that was never issued and no operation twice;</item>
/// <item>equals applying the operation log in LSN order up to some point at or after the acknowledged prefix.</item>
/// </list>
/// The recovered store must then accept writes and reopen to the same state.
/// </summary>
public sealed class PowerLossTests(ITestOutputHelper output)
{
    private const string Data = "/data";

    [Fact]
    public async Task Open_after_power_loss_at_any_sync_or_rename_point_recovers_every_acknowledged_write_and_nothing_else()
    {
        var cases = CaseCount("THEODORE_POWERLOSS_CASES", 10_000);
        var stats = new Stats();
        for (var seed = 0; seed < cases; seed++)
        {
            try
            {
                await RunCaseAsync(seed, stats);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Power-loss case with seed {seed} failed.", ex);
            }
        }

        output.WriteLine($"cases {cases}: {stats}");
        Assert.True(stats.CrashedMidRun > cases / 3, stats.ToString());
        Assert.True(stats.CrashedInCheckpoint > cases / 20, stats.ToString());
        Assert.True(stats.TornTails > cases / 50, stats.ToString());
        Assert.True(stats.RestoredSnapshots > cases / 10, stats.ToString());
        Assert.True(stats.RecoveredUnacknowledged > 0, stats.ToString());
        Assert.True(stats.BatchedLossInWindow > 0, stats.ToString());
        Assert.True(stats.CrashedInRecovery > 0, stats.ToString());
    }

    internal static int CaseCount(string variable, int minimum)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > minimum ? count : minimum;
    }

    private static async Task RunCaseAsync(int seed, Stats stats)
    {
        var random = new Random(seed);
        var options = new DurableStoreOptions
        {
            DataDirectory = Data,
            Mode = random.Next(4) == 0 ? DurabilityMode.Batched : DurabilityMode.Sync,
            SegmentSize = random.Next(200, 1500),

            // Only explicit flushes in Batched mode, so that a seed replays the same crash.
            BatchInterval = TimeSpan.FromHours(1),
        };
        var fs = new CrashSimFileSystem(seed) { CrashAtPoint = random.Next(1, 90) };
        var history = new History(options.Mode);
        await RunFirstLifeAsync(fs, options, random, history, stats);

        var survivor = fs.SimulatePowerLoss();
        if (random.Next(5) == 0)
        {
            survivor.CrashAtPoint = random.Next(1, 6);
            try
            {
                var ignored = new KeyValueMachine();
                await using var interrupted = DurableStore.Open(survivor, options, ignored.Restore, ignored.Replay);
            }
            catch (SimulatedCrashException)
            {
                stats.CrashedInRecovery++;
            }

            survivor = survivor.SimulatePowerLoss();
        }

        var machine = new KeyValueMachine();
        var store = DurableStore.Open(survivor, options, machine.Restore, machine.Replay);
        try
        {
            Verify(history, machine, store, stats);
            Assert.DoesNotContain(survivor.ListFiles(Data), name => name.EndsWith(".tmp", StringComparison.Ordinal));
            await ContinueAfterRecoveryAsync(store, machine, random);
        }
        finally
        {
            await store.DisposeAsync();
        }

        var again = new KeyValueMachine();
        await using var reopened = DurableStore.Open(survivor, options, again.Restore, again.Replay);
        AssertSameState(machine.State, again.State);
        Assert.Equal(machine.AppliedLsn, again.AppliedLsn);
    }

    private static async Task RunFirstLifeAsync(CrashSimFileSystem fs, DurableStoreOptions options, Random random, History history, Stats stats)
    {
        var machine = new KeyValueMachine();
        DurableStore? store = null;
        var inCheckpoint = false;
        try
        {
            store = DurableStore.Open(fs, options, machine.Restore, machine.Replay);
            var steps = random.Next(10, 45);
            for (var step = 0; step < steps; step++)
            {
                var roll = random.Next(20);
                if (roll < 11)
                {
                    await AppendBurstAsync(store, machine, random, history, 1);
                }
                else if (roll < 16)
                {
                    await AppendBurstAsync(store, machine, random, history, random.Next(2, 9));
                }
                else if (roll < 18 && random.Next(2) == 0)
                {
                    var lsn = machine.AppliedLsn;
                    history.Checkpoints.Add(lsn);
                    inCheckpoint = true;
                    await store.CheckpointAsync(lsn, KeyValueMachine.UserHeader.ToArray(), machine.SnapshotOf());
                    inCheckpoint = false;
                    history.DurableFloor = Math.Max(history.DurableFloor, lsn);
                }
                else if (options.Mode == DurabilityMode.Batched)
                {
                    var before = machine.AppliedLsn;
                    await store.FlushAsync();
                    history.DurableFloor = Math.Max(history.DurableFloor, before);
                }
                else
                {
                    await AppendBurstAsync(store, machine, random, history, random.Next(1, 4));
                }
            }
        }
        catch (Exception ex) when (fs.HasCrashed && ex is SimulatedCrashException or DurabilityFailedException)
        {
            stats.CrashedMidRun++;
            if (inCheckpoint)
            {
                stats.CrashedInCheckpoint++;
            }
        }
        finally
        {
            if (store is not null)
            {
                try
                {
                    await store.DisposeAsync();
                }
                catch (SimulatedCrashException)
                {
                    // The machine is already off; closing it cannot reach the disk.
                }
            }
        }
    }

    private static async Task AppendBurstAsync(DurableStore store, KeyValueMachine machine, Random random, History history, int count)
    {
        var ops = new KeyValueOp[count];
        var tasks = new Task<long>[count];
        for (var i = 0; i < count; i++)
        {
            ops[i] = KeyValueOp.Random(random, history.Issued.Count, 12);
            history.Issued.Add(ops[i].Id, ops[i]);
            tasks[i] = store.AppendAsync(ops[i].Kind, ops[i].Encode());
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        finally
        {
            var acknowledged = new SortedDictionary<long, KeyValueOp>();
            for (var i = 0; i < count; i++)
            {
                if (tasks[i].IsCompletedSuccessfully)
                {
                    acknowledged.Add(tasks[i].Result, ops[i]);
                }
            }

            // Acknowledgements arrive as a contiguous run in LSN order; the machine applies them in that order.
            foreach (var (lsn, op) in acknowledged)
            {
                history.Acknowledged.Add(lsn, op);
                machine.Apply(lsn, op);
                if (history.Mode == DurabilityMode.Sync)
                {
                    history.DurableFloor = lsn;
                }
            }
        }
    }

    private static void Verify(History history, KeyValueMachine machine, DurableStore store, Stats stats)
    {
        var checkpoint = store.CheckpointLsn;
        Assert.True(checkpoint == 0 || history.Checkpoints.Contains(checkpoint), $"recovered checkpoint {checkpoint} was never attempted");
        if (checkpoint > 0)
        {
            stats.RestoredSnapshots++;
        }

        if (store.Recovery.Wal.TornTailBytes > 0)
        {
            stats.TornTails++;
        }

        var expected = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var seen = new HashSet<int>();
        for (var lsn = 1L; lsn <= checkpoint; lsn++)
        {
            Assert.True(history.Acknowledged.TryGetValue(lsn, out var op), $"the snapshot covers LSN {lsn}, which was never acknowledged");
            KeyValueMachine.ApplyTo(expected, op);
            seen.Add(op.Id);
        }

        var next = checkpoint + 1;
        foreach (var record in machine.Replayed)
        {
            Assert.Equal(next, record.Lsn);
            var op = KeyValueOp.Decode(record);
            Assert.True(history.Issued.TryGetValue(op.Id, out var issued), $"LSN {record.Lsn} holds operation {op.Id}, which was never issued");
            Assert.Equal(issued.Kind, record.Type);
            Assert.Equal(issued.Encode(), record.Payload.ToArray());
            if (history.Acknowledged.TryGetValue(record.Lsn, out var acknowledged))
            {
                Assert.Equal(acknowledged.Id, op.Id);
            }

            Assert.True(seen.Add(op.Id), $"operation {op.Id} appears twice");
            KeyValueMachine.ApplyTo(expected, op);
            next++;
        }

        var last = next - 1;
        Assert.True(last >= history.DurableFloor, $"recovery ends at LSN {last} but LSN {history.DurableFloor} was acknowledged as durable");
        var lastAcknowledged = history.Acknowledged.Count > 0 ? history.Acknowledged.Keys.Max() : 0;
        if (last > lastAcknowledged)
        {
            stats.RecoveredUnacknowledged++;
        }
        else if (last < lastAcknowledged)
        {
            stats.BatchedLossInWindow++;
        }

        Assert.Equal(last, machine.AppliedLsn);
        AssertSameState(expected, machine.State);
    }

    private static async Task ContinueAfterRecoveryAsync(DurableStore store, KeyValueMachine machine, Random random)
    {
        for (var i = 0; i < 4; i++)
        {
            var op = KeyValueOp.Random(random, 1_000_000 + i, 12);
            machine.Apply(await store.AppendAsync(op.Kind, op.Encode()), op);
            if (i == 1)
            {
                await store.CheckpointAsync(machine.AppliedLsn, KeyValueMachine.UserHeader.ToArray(), machine.SnapshotOf());
            }
        }
    }

    private static void AssertSameState(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys, StringComparer.Ordinal);
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value, actual[key]);
        }
    }

    private sealed class History(DurabilityMode mode)
    {
        public DurabilityMode Mode { get; } = mode;

        public Dictionary<int, KeyValueOp> Issued { get; } = [];

        public Dictionary<long, KeyValueOp> Acknowledged { get; } = [];

        public HashSet<long> Checkpoints { get; } = [];

        /// <summary>Every acknowledged LSN up to this one must survive.</summary>
        public long DurableFloor { get; set; }
    }

    private sealed class Stats
    {
        public int CrashedMidRun { get; set; }

        public int CrashedInCheckpoint { get; set; }

        public int CrashedInRecovery { get; set; }

        public int TornTails { get; set; }

        public int RestoredSnapshots { get; set; }

        public int RecoveredUnacknowledged { get; set; }

        public int BatchedLossInWindow { get; set; }

        public override string ToString() =>
            $"crashed mid-run {CrashedMidRun}, in a checkpoint {CrashedInCheckpoint}, during recovery {CrashedInRecovery}; " +
            $"torn tails cut {TornTails}; recovered from a snapshot {RestoredSnapshots}; " +
            $"written but unacknowledged records recovered {RecoveredUnacknowledged}; Batched-mode acknowledged but unflushed lost {BatchedLossInWindow}";
    }
}
