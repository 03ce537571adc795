using NSubstitute;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Operations;

/// <summary>A substitute storage with the record-operations and maintenance ports and the capabilities a test names.</summary>
internal sealed class OperationsFixture
{
    public OperationsFixture(bool atomic = true, bool softDelete = true, bool ttl = true, bool compaction = true, bool port = true)
    {
        Storage.Capabilities.Returns(new StorageCapabilities
        {
            SystemName = "test",
            MixedBatches = true,
            AtomicBatches = atomic,
            SoftDelete = softDelete,
            Ttl = ttl,
            Compaction = compaction,
        });
        if (port)
        {
            Storage.GetService(typeof(IRecordOperationsStorage), Arg.Any<object?>()).Returns(Operations);
            Storage.GetService(typeof(IIndexMaintenanceStorage), Arg.Any<object?>()).Returns(Maintenance);
        }

        Operations.ApplyAsync(default!, default!, default, default, default).ReturnsForAnyArgs(call =>
        {
            var operations = call.ArgAt<IReadOnlyList<RecordOperation>?>(1) ?? [];
            var options = call.ArgAt<OperationBatchOptions?>(3);
            return new OperationBatchResult([.. operations.Select((o, i) => new RecordOperationResult(i, o.Kind, o.Id, true))], options?.Atomic ?? false, TimeSpan.FromMilliseconds(2));
        });
    }

    public IVectorStorage Storage { get; } = Substitute.For<IVectorStorage>();

    public IRecordOperationsStorage Operations { get; } = Substitute.For<IRecordOperationsStorage>();

    public IIndexMaintenanceStorage Maintenance { get; } = Substitute.For<IIndexMaintenanceStorage>();

    /// <summary>The operations of the one batch the port received.</summary>
    public IReadOnlyList<RecordOperation> Applied() =>
        (IReadOnlyList<RecordOperation>)Operations.ReceivedCalls().Single(c => c.GetMethodInfo().Name == nameof(IRecordOperationsStorage.ApplyAsync) && c.GetArguments()[1] is not null).GetArguments()[1]!;

    public void Answer(params RecordOperationResult[] results) =>
        Operations.ApplyAsync(default!, default!, default, default, default).ReturnsForAnyArgs(new OperationBatchResult(results, false, TimeSpan.Zero));

    public static VectorId Id(string id) => VectorId.Parse(id);
}
