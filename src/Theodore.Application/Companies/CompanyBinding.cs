using Microsoft.Extensions.AI;
using Theodore.Application.Embeddings;
using Theodore.Core.Domain;

namespace Theodore.Application.Companies;

/// <summary>
/// One companies index and the generator that fills it, used together: a query embedded by one model is only ever
/// searched in that model's index. Requests hold a lease while they use it, so a switch can wait for the last one
/// before the old index is dropped.
/// </summary>
public sealed class CompanyBinding
{
    private int _leases;

    internal CompanyBinding(IndexName index, IEmbeddingGenerator<string, Embedding<float>> generator, GeneratorContract contract, bool ownsGenerator)
    {
        Index = index;
        Generator = generator;
        Contract = contract;
        OwnsGenerator = ownsGenerator;
    }

    public IndexName Index { get; }

    public IEmbeddingGenerator<string, Embedding<float>> Generator { get; }

    public GeneratorContract Contract { get; }

    /// <summary>True for a generator made for a re-embed, which is disposed when its binding is retired.</summary>
    internal bool OwnsGenerator { get; }

    internal long ValidatedAtTicks { get; set; }

    internal int Leases => Volatile.Read(ref _leases);

    internal void AddLease() => Interlocked.Increment(ref _leases);

    internal void ReleaseLease() => Interlocked.Decrement(ref _leases);

    internal Task<ReadOnlyMemory<float>[]> EmbedDocumentsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Embedder.EmbedAsync(Generator, texts, Contract.Dimension, EmbeddingInputTypes.DocumentOptions(), cancellationToken);

    internal async Task<ReadOnlyMemory<float>> EmbedQueryAsync(string text, CancellationToken cancellationToken) =>
        (await Embedder.EmbedAsync(Generator, [text], Contract.Dimension, EmbeddingInputTypes.QueryOptions(), cancellationToken).ConfigureAwait(false))[0];
}
