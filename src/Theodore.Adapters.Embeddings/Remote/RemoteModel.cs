using System.Globalization;
using Theodore.Adapters.Embeddings.Cohere;
using Theodore.Adapters.Embeddings.OpenAI;

namespace Theodore.Adapters.Embeddings.Remote;

/// <summary>
/// A remote generator's settings once resolved: the model, its dimension (configured or the model's own), whether the
/// dimension is sent with each request, whether vectors are unit length, and where and how to call.
/// </summary>
internal sealed record RemoteModel(
    string Section,
    string ModelId,
    int Dimension,
    bool SendDimensions,
    bool Normalized,
    Uri BaseUrl,
    string? ApiKey,
    int BatchSize,
    int MaxConcurrency);

/// <summary>What this adapter knows of a hosted model: its own dimension and which smaller ones the API can produce.</summary>
internal sealed record KnownRemoteModel(int Dimension, IReadOnlyList<int>? Shortenable)
{
    public bool CanProduce(int dimension) =>
        dimension == Dimension || (Shortenable is { } allowed && (allowed.Count == 0 ? dimension < Dimension : allowed.Contains(dimension)));
}

/// <summary>Resolves a section plus optional overrides into a <see cref="RemoteModel"/>, or says exactly what is wrong.</summary>
internal static class RemoteModels
{
    // text-embedding-3-* shorten to any size below their own; ada-002 does not take "dimensions" at all.
    public static IReadOnlyDictionary<string, KnownRemoteModel> OpenAI { get; } = new Dictionary<string, KnownRemoteModel>(StringComparer.Ordinal)
    {
        ["text-embedding-3-small"] = new(1536, []),
        ["text-embedding-3-large"] = new(3072, []),
        ["text-embedding-ada-002"] = new(1536, null),
    };

    // embed-v4.0 takes output_dimension 256, 512, 1024 or 1536; the v3 models have one size each.
    public static IReadOnlyDictionary<string, KnownRemoteModel> Cohere { get; } = new Dictionary<string, KnownRemoteModel>(StringComparer.Ordinal)
    {
        ["embed-v4.0"] = new(1536, [256, 512, 1024, 1536]),
        ["embed-english-v3.0"] = new(1024, null),
        ["embed-multilingual-v3.0"] = new(1024, null),
        ["embed-english-light-v3.0"] = new(384, null),
        ["embed-multilingual-light-v3.0"] = new(384, null),
    };

    /// <summary>
    /// The OpenAI-compatible settings. <paramref name="model"/> and <paramref name="dimensions"/> override the section;
    /// a model other than the configured one does not inherit the configured dimension. Throws
    /// <see cref="ArgumentException"/> for a model or dimension that cannot work and
    /// <see cref="InvalidOperationException"/> for a section that cannot (base URL, key).
    /// </summary>
    public static RemoteModel ForOpenAI(OpenAIEmbeddingOptions options, string? model = null, int? dimensions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = OpenAIEmbeddingOptions.SectionName;
        var baseUrl = BaseUrl(section, options.BaseUrl);
        CheckKey(section, options.ApiKey, required: !baseUrl.IsLoopback, baseUrl, " (only a loopback BaseUrl, such as a local Ollama or vLLM, may go without)");
        var (id, dimension, send, known) = Resolve(section, OpenAI, options.Model, options.Dimensions, model, dimensions);
        return new RemoteModel(section, id, dimension, send, options.Normalized ?? known, baseUrl, options.ApiKey, options.BatchSize, options.MaxConcurrency);
    }

    /// <summary>The Cohere settings; the same rules as <see cref="ForOpenAI"/>, and the key is always required.</summary>
    public static RemoteModel ForCohere(CohereEmbeddingOptions options, string? model = null, int? dimensions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = CohereEmbeddingOptions.SectionName;
        var baseUrl = BaseUrl(section, options.BaseUrl);
        CheckKey(section, options.ApiKey, required: true, baseUrl, string.Empty);
        var (id, dimension, send, _) = Resolve(section, Cohere, options.Model, options.Dimensions, model, dimensions);

        // Cohere does not promise unit-length vectors, so the index does not demand them.
        return new RemoteModel(section, id, dimension, send, Normalized: false, baseUrl, options.ApiKey, Math.Min(options.BatchSize, CohereEmbeddingOptions.MaxTextsPerRequest), options.MaxConcurrency);
    }

    private static (string Id, int Dimension, bool Send, bool Known) Resolve(
        string section,
        IReadOnlyDictionary<string, KnownRemoteModel> catalogue,
        string configuredModel,
        int? configuredDimensions,
        string? model,
        int? dimensions)
    {
        if (model is not null && string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("The model must not be empty.", nameof(model));
        }

        if (dimensions is < 1)
        {
            throw new ArgumentException($"The dimension must be at least 1; {dimensions} was asked for.", nameof(dimensions));
        }

        var id = model ?? configuredModel;
        var sameModel = string.Equals(id, configuredModel, StringComparison.Ordinal);
        var wanted = dimensions ?? (sameModel ? configuredDimensions : null);
        var where = dimensions is not null ? "the dimension asked for" : $"{section}:Dimensions";
        if (!catalogue.TryGetValue(id, out var known))
        {
            if (wanted is not { } size)
            {
                throw new ArgumentException(
                    $"{section}: model '{id}' is not one this adapter knows the dimension of ({string.Join(", ", catalogue.Keys)}); set {section}:Dimensions to the size of its vectors.",
                    nameof(model));
            }

            return (id, size, false, false);
        }

        var dimension = wanted ?? known.Dimension;
        if (!known.CanProduce(dimension))
        {
            var can = known.Shortenable switch
            {
                null => string.Create(CultureInfo.InvariantCulture, $"only {known.Dimension}"),
                { Count: 0 } => string.Create(CultureInfo.InvariantCulture, $"at most {known.Dimension}"),
                var sizes => string.Join(", ", sizes),
            };
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{section}: model '{id}' cannot produce {dimension}-d vectors ({where}); it produces {can}."),
                nameof(dimensions));
        }

        // The parameter goes out only when the API shortens for this model and a size was chosen.
        var send = known.Shortenable is not null && wanted is not null;
        return (id, dimension, send, true);
    }

    private static Uri BaseUrl(string section, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{section}:BaseUrl '{value}' must be an absolute http:// or https:// URL.");
        }

        return uri;
    }

    private static void CheckKey(string section, string? apiKey, bool required, Uri baseUrl, string exemption)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            if (required)
            {
                throw new InvalidOperationException(
                    $"{section}:ApiKey is required for {baseUrl.GetLeftPart(UriPartial.Authority)}{exemption}; set it (e.g. the environment variable {section.Replace(":", "__", StringComparison.Ordinal)}__ApiKey).");
            }

            return;
        }

        if (apiKey.Any(char.IsControl) || apiKey.Trim().Length != apiKey.Length)
        {
            throw new InvalidOperationException($"{section}:ApiKey must not contain control characters or surrounding spaces.");
        }
    }
}
