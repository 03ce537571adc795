using System.Text;
using System.Text.Json.Nodes;

namespace Theodore.Pinecone.Fake;

/// <summary>A stored record: values as float32 (as Pinecone keeps them) and flat metadata.</summary>
public sealed record FakeRecord(string Id, float[] Values, JsonObject? Metadata);

/// <summary>
/// One serverless index of the fake: its definition, its host, and its namespaces. Writes are queued and applied once
/// <see cref="PineconeFakeOptions.VisibilityDelay"/> has passed, so reads see what Pinecone's eventually consistent
/// reads would see; every read first applies what is due. Guarded by one lock.
/// </summary>
public sealed class FakeIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, FakeRecord>> _namespaces = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset Due, Action Apply)> _pending = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _delay;

    internal FakeIndex(string name, int dimension, string metric, IReadOnlyDictionary<string, string>? tags, string deletionProtection, string cloud, string region, DateTimeOffset readyAt, TimeProvider time, TimeSpan delay)
    {
        Name = name;
        Dimension = dimension;
        Metric = metric;
        Tags = tags is null ? null : new Dictionary<string, string>(tags, StringComparer.Ordinal);
        DeletionProtection = deletionProtection;
        Cloud = cloud;
        Region = region;
        ReadyAt = readyAt;
        _time = time;
        _delay = delay;
    }

    public string Name { get; }

    public int Dimension { get; }

    public string Metric { get; }

    public IReadOnlyDictionary<string, string>? Tags { get; }

    public string DeletionProtection { get; }

    public string Cloud { get; }

    public string Region { get; }

    public DateTimeOffset ReadyAt { get; }

    /// <summary>host:port of the index's own listener, as Pinecone returns it: without a scheme.</summary>
    public string Host { get; internal set; } = string.Empty;

    public bool IsReady => _time.GetUtcNow() >= ReadyAt;

    /// <summary>Visible records per namespace ("" is the default), for tests.</summary>
    public IReadOnlyDictionary<string, int> Counts
    {
        get
        {
            lock (_gate)
            {
                ApplyDue();
                return _namespaces.Where(n => n.Value.Count > 0).ToDictionary(n => n.Key, n => n.Value.Count, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The visible record, or null, for tests.</summary>
    public FakeRecord? Find(string id, string ns = "")
    {
        lock (_gate)
        {
            ApplyDue();
            return _namespaces.TryGetValue(ns, out var records) && records.TryGetValue(id, out var record) ? record : null;
        }
    }

    internal void Write(Action<Dictionary<string, SortedDictionary<string, FakeRecord>>> change)
    {
        lock (_gate)
        {
            ApplyDue();
            if (_delay <= TimeSpan.Zero)
            {
                change(_namespaces);
            }
            else
            {
                _pending.Enqueue((_time.GetUtcNow() + _delay, () => change(_namespaces)));
            }
        }
    }

    internal T Read<T>(Func<Dictionary<string, SortedDictionary<string, FakeRecord>>, T> read)
    {
        lock (_gate)
        {
            ApplyDue();
            return read(_namespaces);
        }
    }

    internal static SortedDictionary<string, FakeRecord> Namespace(Dictionary<string, SortedDictionary<string, FakeRecord>> namespaces, string ns)
    {
        if (!namespaces.TryGetValue(ns, out var records))
        {
            records = new SortedDictionary<string, FakeRecord>(Utf8Order.Instance);
            namespaces[ns] = records;
        }

        return records;
    }

    private void ApplyDue()
    {
        var now = _time.GetUtcNow();
        while (_pending.Count > 0 && _pending.Peek().Due <= now)
        {
            _pending.Dequeue().Apply();
        }
    }
}

/// <summary>Pinecone lists ids in bitwise ("C" collation) order of their UTF-8 bytes.</summary>
internal sealed class Utf8Order : IComparer<string>
{
    public static readonly Utf8Order Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        return Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
    }
}
