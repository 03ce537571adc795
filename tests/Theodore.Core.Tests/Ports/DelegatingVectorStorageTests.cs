using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Core.Tests.Ports;

public sealed class DelegatingVectorStorageTests
{
    private static readonly IndexName Index = IndexName.Parse("companies");
    private static readonly VectorId Id = VectorId.Parse("acme");
    private static readonly Namespace Tenant = Namespace.Parse("tenant-a");
    private static readonly CancellationToken Token = new(canceled: true);
    private static readonly IndexDefinition Definition = new(Index, 3, DistanceMetric.Cosine);
    private static readonly IndexInfo Info = new(Definition, 7, null, null);
    private static readonly SearchResult Result = new([new SearchMatch(Id, 0.9f, 0.1f)], Approximate: true, TimeSpan.FromMilliseconds(2));

    private readonly IVectorStorage _inner = Substitute.For<IVectorStorage>();
    private readonly PassThrough _storage;

    public DelegatingVectorStorageTests()
    {
        _inner.Capabilities.Returns(new StorageCapabilities { SystemName = "fake", SupportsOffset = true });
        _storage = new PassThrough(_inner);
    }

    [Fact]
    public void Constructor_without_inner_throws()
    {
        Assert.Throws<ArgumentNullException>(() => new PassThrough(null!));
    }

    [Fact]
    public void Capabilities_are_the_inner_ones()
    {
        Assert.Same(_inner.Capabilities, _storage.Capabilities);
    }

    [Fact]
    public async Task CreateIndexAsync_passes_through()
    {
        _inner.CreateIndexAsync(Definition, Token).Returns(Info);

        Assert.Same(Info, await _storage.CreateIndexAsync(Definition, Token));
    }

    [Fact]
    public async Task DescribeIndexAsync_passes_through()
    {
        _inner.DescribeIndexAsync(Index, Token).Returns(Info);

        Assert.Same(Info, await _storage.DescribeIndexAsync(Index, Token));
    }

    [Fact]
    public async Task ListIndexesAsync_passes_through()
    {
        IReadOnlyList<IndexInfo> all = [Info];
        _inner.ListIndexesAsync(Token).Returns(all);

        Assert.Same(all, await _storage.ListIndexesAsync(Token));
    }

    [Fact]
    public async Task DeleteIndexAsync_passes_through()
    {
        await _storage.DeleteIndexAsync(Index, Token);

        await _inner.Received(1).DeleteIndexAsync(Index, Token);
    }

    [Fact]
    public async Task DescribeIndexAsync_lets_inner_errors_through()
    {
        _inner.DescribeIndexAsync(Index, Token).ThrowsAsync(new IndexNotFoundException("companies"));

        await Assert.ThrowsAsync<IndexNotFoundException>(() => _storage.DescribeIndexAsync(Index, Token).AsTask());
    }

    [Fact]
    public async Task UpsertAsync_passes_record_and_namespace_through()
    {
        var record = new VectorRecord(Id, new float[] { 1, 2, 3 });

        await _storage.UpsertAsync(Index, record, Tenant, Token);

        await _inner.Received(1).UpsertAsync(Index, record, Tenant, Token);
    }

    [Fact]
    public async Task GetAsync_passes_through()
    {
        var record = new VectorRecord(Id, new float[] { 1, 2, 3 });
        _inner.GetAsync(Index, Id, Tenant, Token).Returns(record);

        Assert.Same(record, await _storage.GetAsync(Index, Id, Tenant, Token));
    }

    [Fact]
    public async Task DeleteAsync_passes_through()
    {
        _inner.DeleteAsync(Index, Id, Tenant, Token).Returns(true);

        Assert.True(await _storage.DeleteAsync(Index, Id, Tenant, Token));
        Assert.False(await _storage.DeleteAsync(Index, VectorId.Parse("other"), Tenant, Token));
    }

    [Fact]
    public async Task SearchAsync_passes_vector_and_options_through()
    {
        var vector = new ReadOnlyMemory<float>([1, 0, 0]);
        var options = new SearchOptions { TopK = 3, Namespace = Tenant };
        _inner.SearchAsync(Index, vector, options, Token).Returns(Result);

        Assert.Same(Result, await _storage.SearchAsync(Index, vector, options, Token));
    }

    [Fact]
    public async Task SearchByIdAsync_passes_through()
    {
        var options = new SearchOptions { TopK = 3 };
        _inner.SearchByIdAsync(Index, Id, options, Token).Returns(Result);

        Assert.Same(Result, await _storage.SearchByIdAsync(Index, Id, options, Token));
    }

    [Fact]
    public async Task GetStatsAsync_passes_through()
    {
        var stats = new IndexStats(7, 3, DistanceMetric.Cosine, null, new Dictionary<string, long>(StringComparer.Ordinal), new Dictionary<string, long>(StringComparer.Ordinal), null, null);
        _inner.GetStatsAsync(Index, Token).Returns(stats);

        Assert.Same(stats, await _storage.GetStatsAsync(Index, Token));
    }

    [Fact]
    public async Task CheckHealthAsync_passes_through()
    {
        var health = new StorageHealth(HealthStatus.Degraded, "fake", "slow disk");
        _inner.CheckHealthAsync(Token).Returns(health);

        Assert.Same(health, await _storage.CheckHealthAsync(Token));
    }

    [Fact]
    public void Every_port_member_is_overridable()
    {
        var members = typeof(IVectorStorage).GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal);
        var virtuals = typeof(DelegatingVectorStorage).GetMethods()
            .Where(m => m.DeclaringType == typeof(DelegatingVectorStorage) && m.IsVirtual && !m.IsFinal)
            .Select(m => m.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(members, virtuals, StringComparer.Ordinal);
    }

    private sealed class PassThrough(IVectorStorage inner) : DelegatingVectorStorage(inner);
}
