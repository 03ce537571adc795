using System.Globalization;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>How to search: how many, where, which records qualify, what to return, and how hard to look.</summary>
public sealed record SearchOptions
{
    public const int MaxTopK = 10_000;
    public const int MaxEf = 4096;

    /// <summary>The longest deadline a search may ask for.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    private readonly int _topK = 10;
    private readonly int _offset;
    private readonly int? _ef;
    private readonly int? _rerankFactor;
    private readonly TimeSpan? _timeout;

    /// <summary>How many matches to return, 1-10,000.</summary>
    public int TopK
    {
        get => _topK;
        init => _topK = value is >= 1 and <= MaxTopK ? value : throw new InvalidRequestException("topK", $"must be between 1 and {MaxTopK}, got {value}");
    }

    /// <summary>Matches to skip before the first returned; only where <see cref="Ports.StorageCapabilities.SupportsOffset"/>.</summary>
    public int Offset
    {
        get => _offset;
        init => _offset = value is >= 0 and <= MaxTopK ? value : throw new InvalidRequestException("offset", $"must be between 0 and {MaxTopK}, got {value}");
    }

    public Namespace Namespace { get; init; }

    public FilterExpression? Filter { get; init; }

    /// <summary>Matches scoring below this are dropped (a score, so higher is more similar on every metric).</summary>
    public float? ScoreThreshold { get; init; }

    public bool IncludeValues { get; init; }

    public bool IncludeMetadata { get; init; } = true;

    /// <summary>Search breadth for HNSW backends; larger is slower and more exact. Null uses the backend's default.</summary>
    public int? Ef
    {
        get => _ef;
        init => _ef = value is null or (>= 1 and <= MaxEf) ? value : throw new InvalidRequestException("ef", $"must be between 1 and {MaxEf}, got {value}");
    }

    /// <summary>
    /// On an index with quantization, how many candidates per wanted match are measured again on the float vectors
    /// (<see cref="QuantizationOptions.RerankFactor"/>) for this search only: larger is slower and closer to the float
    /// answer. Null uses the index's own factor. An index without quantization has nothing to rerank, and its
    /// answer does not change.
    /// </summary>
    public int? RerankFactor
    {
        get => _rerankFactor;
        init => _rerankFactor = value is null or (>= QuantizationOptions.MinRerankFactor and <= QuantizationOptions.MaxRerankFactor)
            ? value
            : throw new InvalidRequestException("rerankFactor", $"must be between {QuantizationOptions.MinRerankFactor} and {QuantizationOptions.MaxRerankFactor}, got {value}");
    }

    /// <summary>Brute-force search: exact results, slower on large indexes.</summary>
    public bool Exact { get; init; }

    /// <summary>
    /// How long the search may take, from the moment the backend receives it; past it the search stops and fails with
    /// <see cref="Errors.StorageTimeoutException"/>. Null: no deadline. Only where
    /// <see cref="Ports.StorageCapabilities.QueryTimeout"/> is not <see cref="Ports.QueryTimeoutSupport.None"/>.
    /// </summary>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is null || (value > TimeSpan.Zero && value <= MaxTimeout)
            ? value
            : throw new InvalidRequestException("timeoutMs", $"must be between 1 and {(long)MaxTimeout.TotalMilliseconds} milliseconds, got {value.Value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}");
    }
}
