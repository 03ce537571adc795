using System.Globalization;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Engine.Durability;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests.Durability;

/// <summary>
/// Power loss at a seeded crash point (an fsync, directory sync, rename or delete) while a sequence of changes runs,
/// then recovery on what the simulated disk kept. The recovered state must equal the state after some prefix of the
/// issued changes, and that prefix must hold every acknowledged change. The index is unquantized, int8, int4 or binary
/// by turns (seed mod 4), and keeps its quantization through recovery.
/// </summary>
public sealed class PowerLossTests
{
    private const int Dimension = 8;
    private static readonly IndexName Index = IndexName.Parse("p");
    private static readonly Namespace Second = Namespace.Parse("b");

    [Fact]
    public async Task Recovery_after_power_loss_holds_a_prefix_with_every_acknowledged_change()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("THEODORE_POWERLOSS_CASES"), CultureInfo.InvariantCulture, out var n) ? n : 1000;
        var crashed = 0;
        for (var seed = 1; seed <= cases; seed++)
        {
            crashed += await RunCaseAsync(seed) ? 1 : 0;
        }

        // Most seeds must lose power mid-sequence, or the test would prove little.
        Assert.True(crashed >= cases / 2, $"only {crashed} of {cases} cases crashed before the end");
    }

    private static async Task<bool> RunCaseAsync(int seed)
    {
        var random = new Random(seed);
        var fs = new CrashSimFileSystem(seed) { CrashAtPoint = random.Next(1, 36) };
        var kind = (VectorQuantization)(seed % 4);
        var operations = Plan(random, kind);
        var acknowledged = 0;
        var issued = 0;
        var storage = await NativeVectorStorage.OpenAsync(Options(snapshotWalBytes: 64 * 1024), null, fs);
        try
        {
            foreach (var operation in operations)
            {
                issued++;
                await operation.Run(storage);
                acknowledged++;
            }
        }
        catch (Exception ex) when (ex is VectorStorageException or SimulatedCrashException or DurabilityException)
        {
            // The crash surfaced through this change; it is issued but not acknowledged.
        }

        var crashed = fs.HasCrashed;
        await DisposeQuietlyAsync(storage);
        await using var recovered = await NativeVectorStorage.OpenAsync(Options(), null, fs.SimulatePowerLoss());
        var actual = await ReadStateAsync(recovered);
        if (actual.Created)
        {
            var quantization = (await recovered.DescribeIndexAsync(Index)).Definition.Quantization;
            Assert.Equal(kind, quantization?.Kind ?? VectorQuantization.None);
            var integrity = await recovered.CheckIntegrityAsync(Index);
            Assert.True(integrity.IsHealthy, $"seed {seed}: integrity after recovery: {string.Join("; ", integrity.Problems.Select(p => p.Message))}");
        }

        for (var prefix = acknowledged; prefix <= issued; prefix++)
        {
            if (Matches(Expected(operations.Take(prefix)), actual))
            {
                return crashed;
            }
        }

        Assert.Fail($"seed {seed}: after {acknowledged} acknowledged of {issued} issued changes, the recovered state is no prefix ({Describe(actual)})");
        return crashed;
    }

    // A quantized index's floats stay in memory: scratch files would be real files under the simulated data path.
    private static NativeOptions Options(long snapshotWalBytes = 64L * 1024 * 1024)
    {
        var options = DurableStorageTests.SimOptions(snapshotWalBytes);
        options.QuantizedVectorsInFiles = false;
        return options;
    }

    private static List<Operation> Plan(Random random, VectorQuantization kind)
    {
        var quantization = kind == VectorQuantization.None ? null : new QuantizationOptions(kind);
        var operations = new List<Operation>
        {
            new("create", s => s.CreateIndexAsync(new IndexDefinition(Index, Dimension, DistanceMetric.Euclidean, quantization: quantization)).AsTask(), state => state.Created = true),
        };
        var next = 0;
        for (var step = 0; step < 14; step++)
        {
            var ns = random.Next(3) == 0 ? Second : default;
            switch (random.Next(6))
            {
                case 0:
                case 1:
                case 2:
                    var first = next;
                    var count = random.Next(1, 40);
                    next += count;
                    var batch = Enumerable.Range(first, count).Select(i => Record($"r{i}", i, Dimension)).ToList();
                    operations.Add(new($"upsert {count} into '{ns}'", s => s.UpsertManyAsync(Index, batch, ns).AsTask(), state =>
                    {
                        foreach (var record in batch)
                        {
                            state.Of(ns)[record.Id.Value] = record.Values;
                        }
                    }));
                    break;
                case 3:
                    var victims = Enumerable.Range(0, 5).Select(_ => $"r{random.Next(Math.Max(1, next))}").Distinct(StringComparer.Ordinal).ToList();
                    operations.Add(new($"delete {victims.Count} from '{ns}'", s => s.DeleteManyAsync(Index, [.. victims.Select(id => VectorId.Parse(id))], ns).AsTask(), state =>
                    {
                        foreach (var id in victims)
                        {
                            state.Of(ns).Remove(id);
                        }
                    }));
                    break;
                case 4:
                    operations.Add(new($"delete all of '{ns}'", s => s.DeleteAllAsync(Index, ns).AsTask(), state => state.Of(ns).Clear()));
                    break;
                default:
                    operations.Add(new("checkpoint", s => s.CheckpointAsync(), _ => { }));
                    break;
            }
        }

        return operations;
    }

    private static State Expected(IEnumerable<Operation> prefix)
    {
        var state = new State();
        foreach (var operation in prefix)
        {
            operation.Apply(state);
        }

        return state;
    }

    private static async Task<State> ReadStateAsync(NativeVectorStorage storage)
    {
        var state = new State();
        if ((await storage.ListIndexesAsync()).Count == 0)
        {
            return state;
        }

        state.Created = true;
        foreach (var ns in new[] { default, Second })
        {
            foreach (var (id, record) in await ReadAllAsync(storage, Index, ns))
            {
                state.Of(ns)[id] = record.Values;
            }
        }

        return state;
    }

    private static bool Matches(State expected, State actual)
    {
        if (expected.Created != actual.Created)
        {
            return false;
        }

        foreach (var ns in new[] { default, Second })
        {
            var want = expected.Of(ns);
            var have = actual.Of(ns);
            if (want.Count != have.Count || want.Any(kv => !have.TryGetValue(kv.Key, out var values) || !SameBytes(kv.Value, values)))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(State state) =>
        $"created={state.Created}, default={state.Of(default).Count} records, b={state.Of(Second).Count} records";

    private static async Task DisposeQuietlyAsync(NativeVectorStorage storage)
    {
        try
        {
            await storage.DisposeAsync();
        }
        catch (Exception ex) when (ex is SimulatedCrashException or DurabilityException or IOException)
        {
            // The machine is already off; nothing it does now reaches the disk.
        }
    }

    private sealed record Operation(string Name, Func<NativeVectorStorage, Task> Run, Action<State> Apply);

    private sealed class State
    {
        private readonly Dictionary<Namespace, Dictionary<string, ReadOnlyMemory<float>>> _namespaces = [];

        public bool Created { get; set; }

        public Dictionary<string, ReadOnlyMemory<float>> Of(Namespace ns)
        {
            if (!_namespaces.TryGetValue(ns, out var records))
            {
                records = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
                _namespaces.Add(ns, records);
            }

            return records;
        }
    }
}
