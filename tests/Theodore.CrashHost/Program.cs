using System.Globalization;
using Theodore.Adapters.Native;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.CrashHost;
using Theodore.Engine.Durability;

// Usage: Theodore.CrashHost <data-path> <seed> <first-batch> [atomic|int8|int4|binary]. Writes batches in Sync mode
// until killed and prints "ACK <batch>" once each batch is acknowledged; the crash test kills it with SIGKILL at random
// moments. With "atomic" each batch is an all-or-nothing mixed batch of AtomicCrashWorkload instead of a plain upsert
// batch; with a quantization name the index is created quantized (its floats in scratch files under the data path).
var kind = VectorQuantization.None;
if (args.Length is not (3 or 4) || (args.Length == 4 && args[3] != "atomic" && !QuantizationOptions.TryParse(args[3], out kind, out _)))
{
    await Console.Error.WriteLineAsync("usage: Theodore.CrashHost <data-path> <seed> <first-batch> [atomic|int8|int4|binary]").ConfigureAwait(false);
    return 2;
}

var atomic = args.Length == 4 && args[3] == "atomic";
var quantization = kind == VectorQuantization.None ? null : new QuantizationOptions(kind);

var seed = int.Parse(args[1], CultureInfo.InvariantCulture);
var batch = int.Parse(args[2], CultureInfo.InvariantCulture);

// A small snapshot threshold, so kills also land in the middle of checkpoints; a small graph (M 8, efConstruction 40)
// keeps each restart short when the log's tail, or a log with no snapshot yet, is linked at start.
var options = new NativeOptions { DataPath = args[0], Durability = DurabilityMode.Sync, SnapshotWalBytes = 64 * 1024 };
await using var storage = await NativeVectorStorage.OpenAsync(options);
try
{
    var name = atomic ? AtomicCrashWorkload.Index : CrashWorkload.Index;
    await storage.CreateIndexAsync(new IndexDefinition(name, CrashWorkload.Dimension, DistanceMetric.Euclidean, hnsw: new HnswOptions(8, 40), quantization: quantization)).ConfigureAwait(false);
}
catch (IndexAlreadyExistsException)
{
    // Recovered from an earlier run.
}

Console.WriteLine("READY");
while (atomic)
{
    // A refusal throws; a batch the host re-runs after a restart finds its own changes already made and applies the rest.
    await storage.ApplyAsync(AtomicCrashWorkload.Index, AtomicCrashWorkload.Batch(seed, batch), options: OperationBatchOptions.AllOrNothing).ConfigureAwait(false);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ACK {batch}"));
    batch++;
}

while (true)
{
    var result = await storage.UpsertManyAsync(CrashWorkload.Index, CrashWorkload.Batch(seed, batch)).ConfigureAwait(false);
    if (!result.IsComplete)
    {
        await Console.Error.WriteLineAsync($"batch {batch} failed: {result.Errors[0].Message}").ConfigureAwait(false);
        return 1;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ACK {batch}"));
    batch++;
}
