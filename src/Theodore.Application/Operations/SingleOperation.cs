using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Operations;

/// <summary>
/// One record operation through the mixed-batch port (a batch of one), its refusal turned into the error a request
/// on one named record answers: a missing record is <see cref="RecordNotFoundException"/> (404).
/// </summary>
internal static class SingleOperation
{
    public static async Task<RecordOperationResult> ApplyAsync(IVectorStorage storage, IndexName index, RecordOperation operation, Namespace ns, CancellationToken cancellationToken)
    {
        var port = storage.GetRequiredService<IRecordOperationsStorage>();
        OperationSupport.ThrowIfUnsupported(storage.Capabilities, [operation], atomic: false);
        var batch = await port.ApplyAsync(index, [operation], ns, OperationBatchOptions.Default, cancellationToken).ConfigureAwait(false);
        var result = batch.Results.Count == 1
            ? batch.Results[0]
            : throw new InvalidOperationException($"The '{storage.Capabilities.SystemName}' backend answered a batch of one operation with {batch.Results.Count} results.");
        return result.ErrorCode switch
        {
            null => result,
            ErrorCodes.RecordNotFound => throw new RecordNotFoundException(index.Value, operation.Id.Value),
            var code => throw new InvalidRequestException("id", result.ErrorMessage ?? $"the {ApplyOperations.OpName(operation.Kind)} was refused ({code})", code),
        };
    }
}
