using Microsoft.Extensions.AI;
using Theodore.Application.Embeddings;

namespace Theodore.Api.Tests.Companies;

/// <summary>
/// A deterministic stand-in for a model, for tests about the API rather than about meaning: each word adds to a few
/// hashed coordinates, so texts sharing words are close; vectors have unit length. The model id is chosen, so two
/// instances can have different contracts. Counts the texts it embeds, and can hold a bulk job part way.
/// </summary>
internal sealed class WordHashEmbeddings(string model, int dimension = 64) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("test", null, model, dimension);
    private int _texts;
    private int _batches;
    private int _held;

    public int TextsEmbedded => Volatile.Read(ref _texts);

    /// <summary>While set, every call for more than one text after the first such call waits for it: a bulk job (a
    /// re-embed) is held part way, while single texts (writes, searches) go on.</summary>
    public Task? HoldBatchesAfterFirst { get; set; }

    /// <summary>Calls that have waited, or are waiting, for <see cref="HoldBatchesAfterFirst"/>.</summary>
    public int BatchesHeld => Volatile.Read(ref _held);

    public bool Disposed { get; private set; }

    /// <summary>Thrown by every call while set: a provider outage.</summary>
    public Exception? Failure { get; set; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (Failure is { } failure)
        {
            throw failure;
        }

        var texts = values.ToArray();
        if (texts.Length > 1 && HoldBatchesAfterFirst is { } hold && Interlocked.Increment(ref _batches) > 1)
        {
            Interlocked.Increment(ref _held);
            await hold.WaitAsync(cancellationToken);
        }

        Interlocked.Add(ref _texts, texts.Length);
        return new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(Embed(t)) { ModelId = model }));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey switch
    {
        null when serviceType == typeof(EmbeddingGeneratorMetadata) => _metadata,
        GeneratorContract.NormalizedServiceKey when serviceType == typeof(bool) => true,
        null when serviceType.IsInstanceOfType(this) => this,
        _ => null,
    };

    public void Dispose() => Disposed = true;

    private float[] Embed(string text)
    {
        var vector = new float[dimension];
        vector[0] = 0.05f; // never the zero vector
        foreach (var word in text.ToLowerInvariant().Split([' ', '.', ',', ':', ';', '-', '!', '?'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = (uint)StableHash(word);
            vector[hash % (uint)dimension] += 1f;
            vector[(hash / (uint)dimension) % (uint)dimension] += 0.5f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    private static int StableHash(string word)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }
}

/// <summary>Makes <see cref="WordHashEmbeddings"/> of the requested model for re-embeds; keeps each for inspection.</summary>
internal sealed class WordHashFactory : IEmbeddingGeneratorFactory
{
    public List<WordHashEmbeddings> Created { get; } = [];

    /// <summary>Calls held so far, by every generator made.</summary>
    public int BatchesHeld
    {
        get
        {
            lock (Created)
            {
                return Created.Sum(g => g.BatchesHeld);
            }
        }
    }

    /// <summary>Given to every generator made: see <see cref="WordHashEmbeddings.HoldBatchesAfterFirst"/>.</summary>
    public Task? HoldBatchesAfterFirst { get; set; }

    public IEmbeddingGenerator<string, Embedding<float>> Create(string provider, string? model = null, int? dimensions = null)
    {
        if (!string.Equals(provider, "Test", StringComparison.Ordinal))
        {
            throw new ArgumentException($"unknown provider '{provider}'; use Test", nameof(provider));
        }

        var generator = new WordHashEmbeddings(model ?? "hash-a", dimensions ?? 64) { HoldBatchesAfterFirst = HoldBatchesAfterFirst };
        lock (Created)
        {
            Created.Add(generator);
        }

        return generator;
    }
}
