using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Companies;

/// <summary>Many records in one call through the batch port, or one by one on a storage without it.</summary>
internal static class StorageBatches
{
    public static async Task<IReadOnlyList<VectorRecord>> GetManyAsync(IVectorStorage storage, IndexName index, IReadOnlyList<VectorId> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        if (storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            return await batch.GetManyAsync(index, ids, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var found = new List<VectorRecord>(ids.Count);
        foreach (var id in ids)
        {
            if (await storage.GetAsync(index, id, cancellationToken: cancellationToken).ConfigureAwait(false) is { } record)
            {
                found.Add(record);
            }
        }

        return found;
    }

    /// <summary>Writes the records; the errors of those refused, by position. Transient failures of the whole call throw.</summary>
    public static async Task<IReadOnlyDictionary<int, RequestError>> UpsertAsync(IVectorStorage storage, IndexName index, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<int, RequestError>();
        if (records.Count == 0)
        {
            return errors;
        }

        if (storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            var result = await batch.UpsertManyAsync(index, records, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var error in result.Errors)
            {
                if (error.IsTransient)
                {
                    throw new StorageUnavailableException($"Writing companies failed for '{error.Id}': {error.Message}");
                }

                errors[error.Position] = new RequestError("company", error.Code, error.Message);
            }

            return errors;
        }

        for (var i = 0; i < records.Count; i++)
        {
            try
            {
                await storage.UpsertAsync(index, records[i], cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidRequestException ex)
            {
                errors[i] = new RequestError("company", ex.Code, ex.Message);
            }
        }

        return errors;
    }

    /// <summary>Writes every record or throws: for copies, where a refused record means the copy is wrong.</summary>
    public static async Task UpsertAllAsync(IVectorStorage storage, IndexName index, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken)
    {
        var errors = await UpsertAsync(storage, index, records, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            var (position, error) = errors.First();
            throw new InvalidOperationException($"Copying companies into '{index.Value}' failed for '{records[position].Id.Value}': {error.Message}");
        }
    }
}
