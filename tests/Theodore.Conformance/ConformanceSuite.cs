using System.Runtime.InteropServices;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>
/// The base of every conformance suite. An adapter's test project subclasses each suite and says how to build its
/// storage; every test makes its own uniquely named index, so suites run in parallel, and deletes it afterwards.
/// </summary>
public abstract class ConformanceSuite : IAsyncLifetime
{
    /// <summary>Scores are compared with this much slack: backends convert through float and their own formulas.</summary>
    protected const double Tolerance = 1e-4;

    private readonly List<IndexName> _created = [];
    private IVectorStorage? _storage;

    protected IVectorStorage Storage => _storage ?? throw new InvalidOperationException("The suite has not been initialized.");

    protected StorageCapabilities Capabilities => Storage.Capabilities;

    public virtual async Task InitializeAsync()
    {
        _storage = CreateStorage();

        // Opened as the host opens it, before the first call.
        if (_storage.GetService<IOpenableVectorStorage>() is { IsOpen: false } openable)
        {
            await openable.OpenAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_storage is null)
        {
            return;
        }

        foreach (var index in _created)
        {
            try
            {
                await _storage.DeleteIndexAsync(index);
            }
            catch (IndexNotFoundException)
            {
                // the test deleted it itself
            }
        }

        await DisposeStorageAsync(_storage);
    }

    /// <summary>The storage under test; called once per test.</summary>
    protected abstract IVectorStorage CreateStorage();

    /// <summary>
    /// Releases what <see cref="CreateStorage"/> made: by default the storage itself when it is disposable (channels,
    /// background work). Override to release more (files, servers).
    /// </summary>
    protected virtual ValueTask DisposeStorageAsync(IVectorStorage storage) =>
        storage is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Waits until earlier writes to <paramref name="index"/> are visible; a no-op for strongly consistent backends.</summary>
    protected virtual Task SettleAsync(IndexName index) => Task.CompletedTask;

    /// <summary>Now on the storage's clock; override where the storage was given a clock of the test's.</summary>
    protected virtual DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>
    /// Moves the storage's clock forward by <paramref name="by"/> and answers true, or answers false when the storage
    /// runs on real time (then a test that needs time to pass waits for it).
    /// </summary>
    protected virtual bool TryAdvanceClock(TimeSpan by) => false;

    /// <summary>A fresh name no other test uses; the index is deleted after the test if it exists then.</summary>
    protected IndexName UniqueIndexName()
    {
        var name = IndexName.Parse("t-" + Guid.NewGuid().ToString("N")[..16]);
        _created.Add(name);
        return name;
    }

    protected async Task<IndexName> CreateIndexAsync(int dimension = 2, DistanceMetric metric = DistanceMetric.Cosine, EmbeddingContract? embedding = null)
    {
        var name = UniqueIndexName();
        await Storage.CreateIndexAsync(new IndexDefinition(name, dimension, metric, embedding));
        return name;
    }

    protected async Task UpsertAsync(IndexName index, params VectorRecord[] records) => await UpsertAsync(index, default, records);

    protected async Task UpsertAsync(IndexName index, Namespace ns, params VectorRecord[] records)
    {
        foreach (var record in records)
        {
            await Storage.UpsertAsync(index, record, ns);
        }

        await SettleAsync(index);
    }

    protected async Task<SearchResult> SearchAsync(IndexName index, float[] query, SearchOptions? options = null) =>
        await Storage.SearchAsync(index, query, options ?? new SearchOptions());

    /// <summary>One page of <see cref="IStreamingVectorStorage.ListAsync"/>; every adapter under test lists.</summary>
    protected async Task<RecordPage> ListPageAsync(IndexName index, ListRequest request) =>
        await Storage.GetRequiredService<IStreamingVectorStorage>().ListAsync(index, request);

    protected static VectorRecord Record(string id, float[] values, Metadata? metadata = null) =>
        new(VectorId.Parse(id), values, metadata ?? Metadata.Empty);

    protected static Metadata Meta(params (string Key, MetadataValue Value)[] pairs) =>
        Metadata.Create(pairs.Select(p => new KeyValuePair<string, MetadataValue>(p.Key, p.Value)));

    protected static VectorId Id(string id) => VectorId.Parse(id);

    protected static Namespace Ns(string ns) => Namespace.Parse(ns);

    protected static string[] IdsOf(SearchResult result) => result.Matches.Select(m => m.Id.Value).ToArray();

    protected static string[] IdsOf(IEnumerable<VectorRecord> records) => records.Select(r => r.Id.Value).ToArray();

    /// <summary>
    /// The listed ids equal <paramref name="expected"/>: in that order where the backend lists in id order, as a set where
    /// it does not (<see cref="StorageCapabilities.ListsInIdOrder"/>), and never with a duplicate.
    /// </summary>
    protected void AssertListed(IEnumerable<string> expected, IEnumerable<string> listed)
    {
        var ids = listed.ToArray();
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        if (Capabilities.ListsInIdOrder)
        {
            Assert.Equal(expected, ids, StringComparer.Ordinal);
        }
        else
        {
            Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        }
    }

    protected static void AssertClose(double expected, double? actual, string what = "value")
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual.Value) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");
    }

    /// <summary>Stored values as read back; backends that keep cosine vectors normalized return the unit vector.</summary>
    protected void AssertStoredValues(float[] written, ReadOnlyMemory<float>? read, DistanceMetric metric)
    {
        Assert.NotNull(read);
        var expected = written;
        if (metric == DistanceMetric.Cosine && Capabilities.ReturnsNormalizedCosineVectors)
        {
            var norm = Math.Sqrt(Vectors.SquaredNorm(written));
            expected = written.Select(v => (float)(v / norm)).ToArray();
        }

        var actual = read.Value.ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], actual[i], $"values[{i}]");
        }
    }

    /// <summary>Overwrites the array behind <paramref name="values"/>, to prove the storage kept its own copy.</summary>
    protected static void Scribble(ReadOnlyMemory<float> values)
    {
        if (MemoryMarshal.TryGetArray(values, out var segment) && segment.Array is { } array)
        {
            Array.Fill(array, 99f, segment.Offset, segment.Count);
        }
    }

    /// <summary>The optional port, or (when the backend lacks it) proof that asking for it fails with the documented error.</summary>
    protected T? PortOrAssertUnsupported<T>()
        where T : class
    {
        var port = Storage.GetService<T>();
        if (port is null)
        {
            Assert.Throws<UnsupportedOperationException>(() => Storage.GetRequiredService<T>());
        }

        return port;
    }
}
