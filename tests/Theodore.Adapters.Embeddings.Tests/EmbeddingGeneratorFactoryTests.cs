using Microsoft.Extensions.AI;
using Theodore.Adapters.Embeddings.Tests.Remote;

namespace Theodore.Adapters.Embeddings.Tests;

/// <summary>A second generator at run time, next to the serving one, from the configured sections.</summary>
public sealed class EmbeddingGeneratorFactoryTests
{
    private static RemoteHost Host() => RemoteHost.Create(new(StringComparer.Ordinal)
    {
        ["Embeddings:OpenAI:ApiKey"] = "sk-1",
        ["Embeddings:OpenAI:Dimensions"] = "512",
        ["Embeddings:Cohere:ApiKey"] = "co-1",
    });

    [Fact]
    public void Create_Local_MiniLM_is_a_new_generator_beside_the_serving_ArcticXs()
    {
        using var host = Host();
        var serving = host.Generator;

        using var second = host.Factory.Create("Local", "MiniLM");

        Assert.Equal(LocalModel.ArcticXs, Assert.IsType<LocalEmbeddingGenerator>(serving).Model);
        Assert.Equal(LocalModel.MiniLm, Assert.IsType<LocalEmbeddingGenerator>(second).Model);
        Assert.NotSame(serving, second);
        Assert.Equal(LocalEmbeddingConstants.MiniLmVersion, second.GetService(typeof(string), LocalEmbeddingConstants.ModelVersionServiceKey));
    }

    [Fact]
    public void Create_overrides_the_model_and_a_new_model_does_not_inherit_the_configured_dimension()
    {
        using var host = Host();

        using var configured = host.Factory.Create("openai");
        using var large = host.Factory.Create("OpenAI", "text-embedding-3-large");
        using var shortened = host.Factory.Create("OpenAI", "text-embedding-3-large", 1024);
        using var cohere = host.Factory.Create("Cohere", "embed-english-light-v3.0");

        Assert.Equal(("text-embedding-3-small", 512), Describe(configured));
        Assert.Equal(("text-embedding-3-large", 3072), Describe(large));
        Assert.Equal(("text-embedding-3-large", 1024), Describe(shortened));
        Assert.Equal(("embed-english-light-v3.0", 384), Describe(cohere));
        Assert.Equal(EmbeddingProviders.CohereProviderName, cohere.GetService<EmbeddingGeneratorMetadata>()!.ProviderName);
    }

    [Theory]
    [InlineData("Word2Vec", null, null, "'Word2Vec' is not a known embedding provider; use one of: Local, OpenAI, Cohere")]
    [InlineData("Local", "bge-small", null, "'bge-small' is not a local embedding model; use one of: MiniLM, ArcticXs")]
    [InlineData("Local", "MiniLM", 768, "produces 384-d vectors only")]
    [InlineData("OpenAI", "nomic-embed-text", null, "set Embeddings:OpenAI:Dimensions")]
    [InlineData("OpenAI", "text-embedding-ada-002", 512, "cannot produce 512-d vectors (the dimension asked for); it produces only 1536")]
    [InlineData("Cohere", "embed-v4.0", 300, "it produces 256, 512, 1024, 1536")]
    [InlineData("Cohere", "embed-english-v3.0", 512, "it produces only 1024")]
    public void Create_an_unknown_provider_or_model_or_an_impossible_size_is_an_ArgumentException(string provider, string? model, int? dimensions, string expected)
    {
        using var host = Host();

        var error = Assert.ThrowsAny<ArgumentException>(() => host.Factory.Create(provider, model, dimensions));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_a_remote_provider_without_its_key_says_which_setting_is_missing()
    {
        using var host = RemoteHost.Create([]);

        var error = Assert.Throws<InvalidOperationException>(() => host.Factory.Create("Cohere"));

        Assert.Contains("Embeddings:Cohere:ApiKey is required", error.Message, StringComparison.Ordinal);
    }

    private static (string?, int?) Describe(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        return (metadata.DefaultModelId, metadata.DefaultModelDimensions);
    }
}
