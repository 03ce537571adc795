using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Core.Domain.Operations;

/// <summary>
/// The checks every backend of <see cref="IRecordOperationsStorage"/> makes before it applies anything, so a batch is
/// refused the same way everywhere: the batch's shape, what the backend cannot do (501 up front), and bad input
/// (paths <c>operations[i]...</c>).
/// </summary>
public static class RecordOperationRules
{
    /// <summary>Where operation <paramref name="position"/> is reported: <c>operations[position]</c>, the API's name for it.</summary>
    public static string Path(int position) => $"operations[{position}]";

    /// <summary>
    /// Refuses the whole batch before anything is applied: a missing list or one longer than
    /// <see cref="OperationBatchOptions.MaxOperations"/> (<see cref="InvalidRequestException"/>), then an atomic batch,
    /// a soft delete or restore, an expiry (<see cref="RecordOperationKind.SetExpiry"/> or an upsert carrying
    /// <see cref="VectorRecord.ExpiresAt"/>) or a metadata replace that <paramref name="capabilities"/> do not allow
    /// (<see cref="UnsupportedOperationException"/>, naming the positions).
    /// </summary>
    public static void ThrowIfRefused(StorageCapabilities capabilities, IReadOnlyList<RecordOperation?> operations, OperationBatchOptions options, string index)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(options);
        if (operations is null)
        {
            throw new InvalidRequestException("operations", "a list of operations is required") { SystemName = capabilities.SystemName, Index = index, Operation = "Apply" };
        }

        if (operations.Count > OperationBatchOptions.MaxOperations)
        {
            throw new InvalidRequestException("operations", $"at most {OperationBatchOptions.MaxOperations} operations per batch, got {operations.Count}") { SystemName = capabilities.SystemName, Index = index, Operation = "Apply" };
        }

        if (options.Atomic && !capabilities.AtomicBatches)
        {
            throw Unsupported(capabilities, index, $"{capabilities.SystemName} cannot apply a batch all or nothing; send it with atomic false to apply each operation on its own.");
        }

        var softDeletes = new List<int>();
        var expiries = new List<int>();
        var replaces = new List<int>();
        for (var i = 0; i < operations.Count; i++)
        {
            switch (operations[i])
            {
                case { Kind: RecordOperationKind.SoftDelete or RecordOperationKind.Restore }:
                    softDeletes.Add(i);
                    break;
                case { Kind: RecordOperationKind.UpdateMetadata, MetadataMode: MetadataUpdateMode.Replace }:
                    replaces.Add(i);
                    break;
                case { Kind: RecordOperationKind.SetExpiry }:
                case { Kind: RecordOperationKind.Upsert, Record.ExpiresAt: not null }:
                    expiries.Add(i);
                    break;
            }
        }

        if (softDeletes.Count > 0 && !capabilities.SoftDelete)
        {
            throw Unsupported(capabilities, index, $"{capabilities.SystemName} has no soft delete or restore ({Positions(softDeletes)}); nothing was applied.");
        }

        if (expiries.Count > 0 && !capabilities.Ttl)
        {
            throw Unsupported(capabilities, index, $"{capabilities.SystemName} cannot expire records ({Positions(expiries)}); nothing was applied.");
        }

        if (replaces.Count > 0 && !capabilities.ReplacesMetadata)
        {
            throw Unsupported(capabilities, index, $"{capabilities.SystemName} can only merge metadata, not replace it whole ({Positions(replaces)}); nothing was applied. Send mode merge, or upsert the record.");
        }
    }

    /// <summary>Refuses a record carrying <see cref="VectorRecord.ExpiresAt"/> on a backend without TTL (plain upserts and batches).</summary>
    public static void ThrowIfExpiryRefused(StorageCapabilities capabilities, VectorRecord? record, string index, string operation)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        if (record?.ExpiresAt is not null && !capabilities.Ttl)
        {
            throw new UnsupportedOperationException($"{capabilities.SystemName} cannot expire records; send the record without expiresAt.")
            {
                SystemName = capabilities.SystemName,
                Index = index,
                Operation = operation,
            };
        }
    }

    /// <summary>Refuses <see cref="ListRequest.IncludeDeleted"/> on a backend without soft delete.</summary>
    public static void ThrowIfIncludeDeletedRefused(StorageCapabilities capabilities, bool includeDeleted, string index, string operation)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        if (includeDeleted && !capabilities.SoftDelete)
        {
            throw new UnsupportedOperationException($"{capabilities.SystemName} has no soft delete, so there are no deleted records to include.")
            {
                SystemName = capabilities.SystemName,
                Index = index,
                Operation = operation,
            };
        }
    }

    /// <summary>
    /// Every problem of the operations' own input, checked against the index: a missing operation, an upsert's record
    /// (<see cref="Vectors.Check"/> at <c>operations[i].record.values</c>). Empty when every operation can be tried.
    /// </summary>
    public static IReadOnlyList<RequestError> CheckInput(IndexDefinition definition, IReadOnlyList<RecordOperation?> operations)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(operations);
        var errors = new List<RequestError>();
        for (var i = 0; i < operations.Count; i++)
        {
            CheckOne(definition, operations[i], i, errors);
        }

        return errors;
    }

    /// <summary>The problems of operation <paramref name="position"/> alone (see <see cref="CheckInput"/>).</summary>
    public static void CheckOne(IndexDefinition definition, RecordOperation? operation, int position, ICollection<RequestError> errors)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(errors);
        var path = Path(position);
        if (operation is null)
        {
            errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, "an operation is required"));
        }
        else if (operation.Kind == RecordOperationKind.Upsert)
        {
            Vectors.Check(definition, operation.Record!.Values.Span, $"{path}.record.values", isWrite: true, errors);
        }
    }

    /// <summary>The refusal of an atomic batch whose operations at <paramref name="positions"/> name records that do not exist.</summary>
    public static RecordNotFoundException NotFound(string systemName, string index, IReadOnlyList<(int Position, VectorId Id)> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var listed = string.Join(", ", positions.Select(p => $"{Path(p.Position)} '{p.Id.Value}'"));
        return new RecordNotFoundException($"The batch was refused whole, nothing applied: no such record in index '{index}' for {listed}.")
        {
            SystemName = systemName,
            Index = index,
            Operation = "Apply",
        };
    }

    /// <summary>The words of a per-operation <c>record_not_found</c>.</summary>
    public static string NotFoundMessage(string index, VectorId id) => $"Record '{id?.Value}' does not exist in index '{index}'.";

    private static UnsupportedOperationException Unsupported(StorageCapabilities capabilities, string index, string message) =>
        new(message) { SystemName = capabilities.SystemName, Index = index, Operation = "Apply" };

    private static string Positions(List<int> positions) =>
        string.Join(", ", positions.Take(10).Select(Path)) + (positions.Count > 10 ? $" and {positions.Count - 10} more" : string.Empty);
}
