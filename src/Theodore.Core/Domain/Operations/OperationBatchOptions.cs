namespace Theodore.Core.Domain.Operations;

/// <summary>How a mixed batch is applied.</summary>
public sealed record OperationBatchOptions
{
    public const int MaxOperations = 1000;

    /// <summary>
    /// All or nothing: every operation is checked first and one failure refuses the whole batch with nothing applied
    /// (<see cref="Errors.InvalidRequestException"/> listing every problem, or <see cref="Errors.RecordNotFoundException"/>);
    /// on Theodore's engine the batch is one log record, so a crash leaves all of it or none. A backend that cannot
    /// (<see cref="Ports.StorageCapabilities.AtomicBatches"/> false) refuses it up front with
    /// <see cref="Errors.UnsupportedOperationException"/>. Off, each operation succeeds or fails on its own, in order.
    /// </summary>
    public bool Atomic { get; init; }

    public static OperationBatchOptions Default { get; } = new();

    public static OperationBatchOptions AllOrNothing { get; } = new() { Atomic = true };
}
