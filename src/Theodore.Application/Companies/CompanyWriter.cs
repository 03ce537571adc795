using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Companies;

/// <summary>What became of one company of a write.</summary>
public enum CompanyWriteStatus
{
    Created,
    Updated,
    Unchanged,
    Failed,
}

/// <summary>One company's outcome: its status, whether it was embedded, and the errors of a failed one.</summary>
public sealed record CompanyWriteOutcome(string Id, CompanyWriteStatus Status, bool Embedded, IReadOnlyList<RequestError> Errors)
{
    public static CompanyWriteOutcome Failed(string id, IReadOnlyList<RequestError> errors) => new(id, CompanyWriteStatus.Failed, false, errors);
}

/// <summary>
/// Writes companies in one batch: reads what is stored (one call), embeds only the texts that changed (one generator
/// call), writes each company as one record with its vector and fields (one call), so a company is written whole or
/// not at all. While a re-embed runs, the same companies go to its index too, embedded by its generator.
/// </summary>
internal static class CompanyWriter
{
    public static async Task<IReadOnlyList<CompanyWriteOutcome>> WriteAsync(CompanyIndex index, IReadOnlyList<Company> companies, CancellationToken cancellationToken)
    {
        using var lease = await index.WriteAsync(cancellationToken).ConfigureAwait(false);
        var storage = index.Storage;
        var binding = lease.Binding;
        var ids = companies.Select(c => c.Id).ToArray();
        var stored = (await StorageBatches.GetManyAsync(storage, binding.Index, ids, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Id.Value, StringComparer.Ordinal);

        var plans = new Plan[companies.Count];
        var toEmbed = new List<int>();
        for (var i = 0; i < companies.Count; i++)
        {
            var text = CompanyText.For(companies[i]);
            var hash = CompanyText.Hash(text);
            var metadata = WithHash(CompanyMetadata.ToMetadata(companies[i]), hash);
            stored.TryGetValue(companies[i].Id.Value, out var existing);
            plans[i] = new Plan(text, metadata, existing);
            if (existing is not null && existing.Metadata.Equals(metadata))
            {
                plans[i].Status = CompanyWriteStatus.Unchanged;
            }
            else if (existing is not null && existing.Metadata.TryGetValue(CompanyMetadata.TextHash, out var storedHash)
                && storedHash.Kind == MetadataValueKind.String && storedHash.AsString == hash && existing.Values.Length == binding.Contract.Dimension)
            {
                plans[i].Vector = existing.Values;
            }
            else
            {
                toEmbed.Add(i);
            }
        }

        var vectors = await binding.EmbedDocumentsAsync([.. toEmbed.Select(i => plans[i].Text)], cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < toEmbed.Count; k++)
        {
            plans[toEmbed[k]].Vector = vectors[k];
            plans[toEmbed[k]].Embedded = true;
        }

        var writes = Enumerable.Range(0, plans.Length).Where(i => plans[i].Status != CompanyWriteStatus.Unchanged).ToArray();
        var records = writes.Select(i => new VectorRecord(companies[i].Id, plans[i].Vector, plans[i].Metadata)).ToArray();
        var errors = await StorageBatches.UpsertAsync(storage, binding.Index, records, cancellationToken).ConfigureAwait(false);
        var outcomes = new CompanyWriteOutcome[plans.Length];
        for (var i = 0; i < plans.Length; i++)
        {
            var status = plans[i].Status ?? (plans[i].Existing is null ? CompanyWriteStatus.Created : CompanyWriteStatus.Updated);
            outcomes[i] = new CompanyWriteOutcome(companies[i].Id.Value, status, plans[i].Embedded, []);
        }

        var written = new List<int>(writes.Length);
        for (var k = 0; k < writes.Length; k++)
        {
            if (errors.TryGetValue(k, out var error))
            {
                outcomes[writes[k]] = CompanyWriteOutcome.Failed(companies[writes[k]].Id.Value, [error]);
            }
            else
            {
                written.Add(writes[k]);
            }
        }

        if (lease.Target is { } target && written.Count > 0)
        {
            // a re-embed is filling its index: these companies must reach it as they are now, in its model's vectors
            var targetVectors = await target.EmbedDocumentsAsync([.. written.Select(i => plans[i].Text)], cancellationToken).ConfigureAwait(false);
            var copies = written.Select((i, k) => new VectorRecord(companies[i].Id, targetVectors[k], plans[i].Metadata)).ToArray();
            await StorageBatches.UpsertAllAsync(storage, target.Index, copies, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    internal static Metadata WithHash(Metadata metadata, string hash) =>
        Metadata.Create(metadata.Where(p => p.Key != CompanyMetadata.TextHash).Append(new(CompanyMetadata.TextHash, hash)));

    private sealed class Plan(string text, Metadata metadata, VectorRecord? existing)
    {
        public string Text { get; } = text;

        public Metadata Metadata { get; } = metadata;

        public VectorRecord? Existing { get; } = existing;

        public CompanyWriteStatus? Status { get; set; }

        public ReadOnlyMemory<float> Vector { get; set; }

        public bool Embedded { get; set; }
    }
}
