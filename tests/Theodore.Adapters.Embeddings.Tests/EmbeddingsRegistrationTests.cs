using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Embeddings.Tests;

public sealed class EmbeddingsRegistrationTests
{
    [Fact]
    public void AddTheodoreEmbeddings_unknown_provider_fails_at_start_naming_the_known_ones()
    {
        using var services = Build(new(StringComparer.Ordinal) { ["Embeddings:Provider"] = "Word2Vec" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Local", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTheodoreEmbeddings_bad_local_options_fail_at_start()
    {
        using var services = Build(new(StringComparer.Ordinal) { ["Embeddings:Local:BatchSize"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTheodoreEmbeddings_default_is_the_local_MiniLM_and_the_warm_up_embeds_before_start_returns()
    {
        using var services = Build([]);
        services.GetRequiredService<IStartupValidator>().Validate();

        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var warmUp = Assert.Single(services.GetServices<IHostedService>().OfType<EmbeddingWarmUp>());
        await warmUp.StartAsync(CancellationToken.None);

        var local = Assert.IsType<LocalEmbeddingGenerator>(generator);
        Assert.Equal(LocalModel.MiniLm, local.Model);
        Assert.Equal(384, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)).AddTheodoreEmbeddings(configuration).BuildServiceProvider();
    }
}
