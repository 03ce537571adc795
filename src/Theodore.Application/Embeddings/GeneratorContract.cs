using Microsoft.Extensions.AI;
using Theodore.Core.Domain;

namespace Theodore.Application.Embeddings;

/// <summary>
/// What an index built from a generator's vectors must record: the contract (model, version, normalization) and the
/// dimension. Taken from the generator's own metadata, so the index says which model filled it (ADR 0011).
/// </summary>
public sealed record GeneratorContract(EmbeddingContract Contract, int Dimension)
{
    /// <summary>Key of <c>GetService(typeof(string), key)</c> for the model version, which the port has no property for.</summary>
    public const string ModelVersionServiceKey = "theodore:embedding-model-version";

    /// <summary>Key of <c>GetService(typeof(bool), key)</c>: true when the generator promises unit-length vectors.</summary>
    public const string NormalizedServiceKey = "theodore:embedding-normalized";

    /// <summary>The contract <paramref name="generator"/> declares; throws naming what it leaves out.</summary>
    public static GeneratorContract For(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return From(
            generator.GetService<EmbeddingGeneratorMetadata>(),
            generator.GetService(typeof(string), ModelVersionServiceKey) as string,
            generator.GetService(typeof(bool), NormalizedServiceKey) is true);
    }

    /// <summary>
    /// The contract from metadata. Without a declared version the model id stands for it: hosted providers publish new
    /// weights under a new id. Without a promise of unit length the index does not demand it.
    /// </summary>
    public static GeneratorContract From(EmbeddingGeneratorMetadata? metadata, string? version, bool normalized)
    {
        if (metadata is null)
        {
            throw new InvalidOperationException("The embedding generator gives no EmbeddingGeneratorMetadata; an index cannot record which model filled it.");
        }

        var missing = new List<string>(2);
        if (string.IsNullOrWhiteSpace(metadata.DefaultModelId))
        {
            missing.Add(nameof(EmbeddingGeneratorMetadata.DefaultModelId));
        }

        if (metadata.DefaultModelDimensions is not > 0)
        {
            missing.Add(nameof(EmbeddingGeneratorMetadata.DefaultModelDimensions));
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The embedding generator '{metadata.ProviderName}' does not declare {string.Join(" or ", missing)}; an index needs both before its first vector.");
        }

        var model = metadata.DefaultModelId!;
        return new GeneratorContract(
            new EmbeddingContract(model, string.IsNullOrWhiteSpace(version) ? model : version, normalized),
            metadata.DefaultModelDimensions!.Value);
    }

    /// <summary>Every way <paramref name="existing"/> differs from this contract, in words; empty when the index fits the generator.</summary>
    public IReadOnlyList<string> DifferencesFrom(IndexDefinition existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var differences = new List<string>(4);
        if (existing.Dimension != Dimension)
        {
            differences.Add($"dimension: index {existing.Dimension}, generator {Dimension}");
        }

        if (existing.Embedding is not { } recorded)
        {
            differences.Add("the index records no embedding contract");
            return differences;
        }

        if (!string.Equals(recorded.Model, Contract.Model, StringComparison.Ordinal))
        {
            differences.Add($"model: index '{recorded.Model}', generator '{Contract.Model}'");
        }

        if (!string.Equals(recorded.Version, Contract.Version, StringComparison.Ordinal))
        {
            differences.Add($"version: index '{recorded.Version}', generator '{Contract.Version}'");
        }

        if (recorded.Normalize != Contract.Normalize)
        {
            differences.Add($"normalize: index {recorded.Normalize}, generator {Contract.Normalize}");
        }

        return differences;
    }

    /// <summary>The definition of a new index for this generator's vectors (cosine: the models are trained for it).</summary>
    public IndexDefinition ToIndexDefinition(IndexName name, DistanceMetric metric = DistanceMetric.Cosine) => new(name, Dimension, metric, Contract);
}
