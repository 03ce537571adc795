using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Theodore.Adapters.Embeddings.Remote;

/// <summary>
/// What the hosted generators share: the texts are checked, cut into requests of <see cref="RemoteModel.BatchSize"/>
/// (at most <see cref="RemoteModel.MaxConcurrency"/> in flight) and put back in order; every vector is checked against
/// the declared dimension; failures become <see cref="EmbeddingProviderException"/>s without the key; the metadata,
/// model version (the model id: hosted providers publish new weights under a new id) and unit-length promise are
/// answered as the Application layer asks for them (ADR 0011).
/// </summary>
internal abstract class RemoteEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata;

    protected RemoteEmbeddingGenerator(RemoteModel model, string providerName, string displayName)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        ProviderName = providerName;
        DisplayName = displayName;
        _metadata = new EmbeddingGeneratorMetadata(providerName, model.BaseUrl, model.ModelId, model.Dimension);
    }

    public RemoteModel Model { get; }

    protected string ProviderName { get; }

    protected string DisplayName { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
            {
                throw new ArgumentException($"values[{i}] is null; every text to embed must be a string.", nameof(values));
            }
        }

        if (options?.Dimensions is { } dimensions && dimensions != Model.Dimension)
        {
            throw new NotSupportedException($"This generator produces {Model.Dimension}-d vectors of {Model.ModelId}; {dimensions} were asked for. Create another generator for another size.");
        }

        if (options?.ModelId is { } modelId && !string.Equals(modelId, Model.ModelId, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"This generator runs {Model.ModelId} only; '{modelId}' was asked for.");
        }

        var isQuery = EmbeddingInputTypes.IsQuery(options);
        cancellationToken.ThrowIfCancellationRequested();
        var vectors = texts.Length == 0
            ? []
            : await RemoteBatches.EmbedInOrderAsync(texts, Model.BatchSize, Model.MaxConcurrency, (batch, token) => EmbedCheckedAsync(batch, isQuery, token), cancellationToken).ConfigureAwait(false);

        var createdAt = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length);
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = Model.ModelId, CreatedAt = createdAt });
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey switch
        {
            null when serviceType == typeof(EmbeddingGeneratorMetadata) => _metadata,
            null when serviceType.IsInstanceOfType(this) => this,
            LocalEmbeddingConstants.ModelVersionServiceKey when serviceType == typeof(string) => Model.ModelId,
            LocalEmbeddingConstants.NormalizedServiceKey when serviceType == typeof(bool) => Model.Normalized,
            _ => null,
        };
    }

    public void Dispose()
    {
        // Nothing held: each request takes its HttpClient from the factory, which owns the handlers.
    }

    /// <summary>One request for <paramref name="batch"/>; the vectors in the order of the texts.</summary>
    protected abstract Task<IReadOnlyList<float[]>> EmbedBatchAsync(string[] batch, bool isQuery, CancellationToken cancellationToken);

    /// <summary>The provider's own exceptions as <see cref="EmbeddingProviderException"/>; null for one it does not know.</summary>
    protected abstract EmbeddingProviderException? MapProviderError(Exception error);

    private async Task<IReadOnlyList<float[]>> EmbedCheckedAsync(string[] batch, bool isQuery, CancellationToken cancellationToken)
    {
        IReadOnlyList<float[]> vectors;
        try
        {
            vectors = await EmbedBatchAsync(batch, isQuery, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && Map(error) is not null)
        {
            throw Map(error)!;
        }

        foreach (var vector in vectors)
        {
            RemoteBatches.CheckDimension(vector, Model.Dimension, Model.ModelId, Model.Section);
        }

        return vectors;
    }

    private EmbeddingProviderException? Map(Exception error) => error switch
    {
        EmbeddingProviderException => null,
        TimeoutRejectedException => RemoteErrors.Unreachable(DisplayName, ProviderName, Model.ModelId, "no answer within the attempt timeout.", Model.ApiKey),
        BrokenCircuitException => RemoteErrors.Unreachable(DisplayName, ProviderName, Model.ModelId, "too many recent failures; the circuit breaker is open for now.", Model.ApiKey),
        HttpRequestException http => RemoteErrors.Unreachable(DisplayName, ProviderName, Model.ModelId, http.Message, Model.ApiKey),
        OperationCanceledException => RemoteErrors.Unreachable(DisplayName, ProviderName, Model.ModelId, "the request timed out.", Model.ApiKey),
        _ => MapProviderError(error),
    };
}
