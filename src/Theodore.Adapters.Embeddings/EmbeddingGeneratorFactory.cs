using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Refit;
using Theodore.Adapters.Embeddings.Cohere;
using Theodore.Adapters.Embeddings.OpenAI;
using Theodore.Adapters.Embeddings.Remote;

namespace Theodore.Adapters.Embeddings;

/// <summary>
/// Builds generators from the configured sections, with the model and dimension overridable: the one
/// <c>Embeddings:Provider</c> names (the DI singleton is built here), and any other at run time, e.g. a second one to
/// re-embed an index next to the serving one (<c>Create("Local", "ArcticXs")</c>). Each call builds a NEW generator that
/// the caller owns and disposes; a local one loads its model (about a second, about 100 MB) and has its own
/// <see cref="LocalEmbeddingOptions.MaxConcurrency"/> slots.
/// </summary>
public sealed class EmbeddingGeneratorFactory
{
    internal const string OpenAIHttpClientName = "Theodore.Embeddings.OpenAI";
    internal const string CohereHttpClientName = "Theodore.Embeddings.Cohere";

    private static readonly RefitSettings CohereRefit = new(new SystemTextJsonContentSerializer(CohereJsonContext.Default.Options));

    private readonly IOptions<EmbeddingsOptions> _embeddings;
    private readonly IOptions<LocalEmbeddingOptions> _local;
    private readonly IOptions<OpenAIEmbeddingOptions> _openAI;
    private readonly IOptions<CohereEmbeddingOptions> _cohere;
    private readonly IHttpClientFactory _httpClients;

    public EmbeddingGeneratorFactory(
        IOptions<EmbeddingsOptions> embeddings,
        IOptions<LocalEmbeddingOptions> local,
        IOptions<OpenAIEmbeddingOptions> openAI,
        IOptions<CohereEmbeddingOptions> cohere,
        IHttpClientFactory httpClients)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(openAI);
        ArgumentNullException.ThrowIfNull(cohere);
        ArgumentNullException.ThrowIfNull(httpClients);
        _embeddings = embeddings;
        _local = local;
        _openAI = openAI;
        _cohere = cohere;
        _httpClients = httpClients;
    }

    /// <summary>The provider <c>Embeddings:Provider</c> names, in its canonical spelling.</summary>
    public string ConfiguredProvider => EmbeddingProviders.Canonical(_embeddings.Value.Provider) ?? _embeddings.Value.Provider;

    /// <summary>The generator <c>Embeddings:Provider</c> names, as configured.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> CreateConfigured() => Create(ConfiguredProvider);

    /// <summary>
    /// A new generator of <paramref name="provider"/> (<c>Local</c>, <c>OpenAI</c>, <c>Cohere</c>, any case) from its
    /// configured section, with <paramref name="model"/> and <paramref name="dimensions"/> in place of the configured
    /// ones when given (for <c>Local</c> the model is <c>MiniLM</c> or <c>ArcticXs</c>). Throws
    /// <see cref="ArgumentException"/> for an unknown provider or model, or a dimension the model cannot produce, and
    /// <see cref="InvalidOperationException"/> when the section cannot work (no API key, a bad base URL).
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>> Create(string provider, string? model = null, int? dimensions = null)
    {
        switch (EmbeddingProviders.Canonical(provider))
        {
            case EmbeddingProviders.Local:
                return CreateLocal(model, dimensions);
            case EmbeddingProviders.OpenAI:
            {
                var settings = RemoteModels.ForOpenAI(_openAI.Value, model, dimensions);
                return new OpenAICompatibleEmbeddingGenerator(settings, () => _httpClients.CreateClient(OpenAIHttpClientName));
            }

            case EmbeddingProviders.Cohere:
            {
                var settings = RemoteModels.ForCohere(_cohere.Value, model, dimensions);
                return new CohereEmbeddingGenerator(settings, () => CohereApi(settings.BaseUrl));
            }

            default:
                throw new ArgumentException($"'{provider}' is not a known embedding provider; use one of: {string.Join(", ", EmbeddingProviders.Known)}.", nameof(provider));
        }
    }

    private LocalEmbeddingGenerator CreateLocal(string? model, int? dimensions)
    {
        var configured = _local.Value;
        var name = model ?? configured.Model;
        var chosen = LocalModel.Find(name) ?? throw new ArgumentException(LocalModel.UnknownMessage(name), nameof(model));
        if (dimensions is { } size && size != chosen.Dimension)
        {
            throw new ArgumentException($"{chosen.ModelId} produces {chosen.Dimension}-d vectors only; {size} were asked for.", nameof(dimensions));
        }

        var options = new LocalEmbeddingOptions
        {
            Model = chosen.ModelId,
            BatchSize = configured.BatchSize,
            MaxConcurrency = configured.MaxConcurrency,
            IntraOpThreads = configured.IntraOpThreads,
            WarmUp = configured.WarmUp,
        };
        return LocalEmbeddingGenerator.Create(options);
    }

    private ICohereApi CohereApi(Uri baseUrl)
    {
        // A client per request from the factory: its handlers are pooled and rotated by the factory.
        var http = _httpClients.CreateClient(CohereHttpClientName);
        http.BaseAddress = baseUrl;
        return RestService.ForGenerated<ICohereApi>(http, CohereRefit);
    }
}
