using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Theodore.Adapters.Embeddings.OpenAI;

namespace Theodore.Adapters.Embeddings.Tests;

public sealed class EmbeddingsRegistrationTests
{
    [Fact]
    public void AddTheodoreEmbeddings_unknown_provider_fails_at_start_naming_the_known_ones()
    {
        using var services = Build(new(StringComparer.Ordinal) { ["Embeddings:Provider"] = "Word2Vec" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("'Word2Vec'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Local, OpenAI, Cohere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTheodoreEmbeddings_bad_local_options_fail_at_start()
    {
        using var services = Build(new(StringComparer.Ordinal) { ["Embeddings:Local:BatchSize"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTheodoreEmbeddings_unknown_local_model_fails_at_start_naming_the_known_ones()
    {
        using var services = Build(new(StringComparer.Ordinal) { ["Embeddings:Local:Model"] = "bge-small" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Embeddings:Local:Model", error.Message, StringComparison.Ordinal);
        Assert.Contains("MiniLM, ArcticXs", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OpenAI", "Embeddings:OpenAI:ApiKey is required for https://api.openai.com")]
    [InlineData("openai", "Embeddings:OpenAI:ApiKey is required for https://api.openai.com")]
    [InlineData("COHERE", "Embeddings:Cohere:ApiKey is required for https://api.cohere.com")]
    public void AddTheodoreEmbeddings_a_remote_provider_without_its_key_fails_at_start_naming_the_setting(string provider, string expected)
    {
        using var services = Build(new(StringComparer.Ordinal) { ["Embeddings:Provider"] = provider });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTheodoreEmbeddings_OpenAI_with_a_model_of_unknown_size_fails_at_start_asking_for_Dimensions()
    {
        using var services = Build(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "OpenAI",
            ["Embeddings:OpenAI:BaseUrl"] = "http://localhost:11434/v1",
            ["Embeddings:OpenAI:Model"] = "nomic-embed-text",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("set Embeddings:OpenAI:Dimensions", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Embeddings:OpenAI", "Dimensions", "4096", "cannot produce 4096-d vectors")]
    [InlineData("Embeddings:Cohere", "Dimensions", "300", "it produces 256, 512, 1024, 1536")]
    [InlineData("Embeddings:OpenAI", "BaseUrl", "api.openai.com", "must be an absolute http:// or https:// URL")]
    public void AddTheodoreEmbeddings_a_remote_section_that_cannot_work_fails_at_start(string section, string key, string value, string expected)
    {
        var provider = section.EndsWith("OpenAI", StringComparison.Ordinal) ? "OpenAI" : "Cohere";
        using var services = Build(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = provider,
            [section + ":ApiKey"] = "k",
            [section + ":" + key] = value,
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OpenAI", "openai", "text-embedding-3-small", 1536)]
    [InlineData("cohere", "cohere", "embed-v4.0", 1536)]
    public void AddTheodoreEmbeddings_a_remote_provider_with_its_key_starts_and_is_the_generator(string provider, string name, string model, int dimension)
    {
        using var services = Build(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = provider,
            ["Embeddings:OpenAI:ApiKey"] = "sk-1",
            ["Embeddings:Cohere:ApiKey"] = "co-1",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var metadata = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal(name, metadata.ProviderName);
        Assert.Equal(model, metadata.DefaultModelId);
        Assert.Equal(dimension, metadata.DefaultModelDimensions);
    }

    [Fact]
    public void AddTheodoreEmbeddings_Local_needs_no_remote_key_and_OpenAI_on_loopback_needs_none()
    {
        using var local = Build([]);
        local.GetRequiredService<IStartupValidator>().Validate();
        using var ollama = Build(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "OpenAI",
            ["Embeddings:OpenAI:BaseUrl"] = "http://127.0.0.1:11434/v1",
            ["Embeddings:OpenAI:Model"] = "nomic-embed-text",
            ["Embeddings:OpenAI:Dimensions"] = "768",
        });
        ollama.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task AddTheodoreEmbeddings_default_is_the_local_ArcticXs_and_the_warm_up_embeds_before_start_returns()
    {
        using var services = Build([]);
        services.GetRequiredService<IStartupValidator>().Validate();

        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var warmUp = Assert.Single(services.GetServices<IHostedService>().OfType<EmbeddingWarmUp>());
        await warmUp.StartAsync(CancellationToken.None);

        var local = Assert.IsType<LocalEmbeddingGenerator>(generator);
        Assert.Equal(LocalModel.ArcticXs, local.Model);
        Assert.Equal(384, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    [Fact]
    public void AddTheodoreEmbeddings_Local_Model_MiniLM_is_the_generator()
    {
        using var services = Build(new(StringComparer.Ordinal) { ["Embeddings:Local:Model"] = "minilm" });
        services.GetRequiredService<IStartupValidator>().Validate();

        var local = Assert.IsType<LocalEmbeddingGenerator>(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());

        Assert.Equal(LocalModel.MiniLm, local.Model);
    }

    [Fact]
    public void Options_ToString_never_shows_the_key()
    {
        var options = new OpenAIEmbeddingOptions { ApiKey = "sk-secret-123" };
        var cohere = new Cohere.CohereEmbeddingOptions { ApiKey = "co-secret-456" };

        Assert.DoesNotContain("sk-secret-123", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("co-secret-456", cohere.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Input_type_strings_are_the_ones_the_application_layer_mirrors()
    {
        // The lead spells these in Application too (the adapter cannot be referenced there); changing one here breaks callers.
        Assert.Equal("theodore:embedding-input-type", EmbeddingInputTypes.OptionKey);
        Assert.Equal("document", EmbeddingInputTypes.Document);
        Assert.Equal("query", EmbeddingInputTypes.Query);
        Assert.True(EmbeddingInputTypes.IsQuery(EmbeddingInputTypes.ForQueries()));
        Assert.False(EmbeddingInputTypes.IsQuery(EmbeddingInputTypes.ForDocuments()));
        Assert.False(EmbeddingInputTypes.IsQuery(null));
        Assert.False(EmbeddingInputTypes.IsQuery(new EmbeddingGenerationOptions()));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)).AddSingleton<ILoggerFactory, NullLoggerFactory>().AddTheodoreEmbeddings(configuration).BuildServiceProvider();
    }
}
