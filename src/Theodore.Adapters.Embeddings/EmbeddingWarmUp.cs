using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Embeddings;

/// <summary>
/// Loads the local model and embeds one text before the host starts serving, so the first request is as fast as the
/// rest. It runs in <see cref="StartAsync"/> on purpose: the server accepts requests only after every hosted service
/// started. A remote provider is not called at start (a paid request, and a provider outage would stop the start).
/// </summary>
public sealed partial class EmbeddingWarmUp(
    IEmbeddingGenerator<string, Embedding<float>> generator,
    IOptions<EmbeddingsOptions> providerOptions,
    IOptions<LocalEmbeddingOptions> options,
    ILogger<EmbeddingWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUp || EmbeddingProviders.Canonical(providerOptions.Value.Provider) != EmbeddingProviders.Local)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var embeddings = await generator.GenerateAsync(["Theodore warms up its embedding model."], cancellationToken: cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogWarmedUp(logger, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown", embeddings[0].Vector.Length, elapsed.TotalMilliseconds);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Embedding model {Model} ready ({Dimension}-d) after {ElapsedMs:0} ms")]
    private static partial void LogWarmedUp(ILogger logger, string model, int dimension, double elapsedMs);
}
