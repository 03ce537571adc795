using NSubstitute;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Core.Tests.Ports;

public sealed class GetServiceTests
{
    private readonly IVectorStorage _inner = Substitute.For<IVectorStorage, IBatchVectorStorage>();
    private readonly Outer _outer;
    private readonly Caching _middle;

    public GetServiceTests()
    {
        _inner.Capabilities.Returns(new StorageCapabilities { SystemName = "fake" });
        _inner.GetService(typeof(IBatchVectorStorage), null).Returns(_inner);
        _middle = new Caching(_inner);
        _outer = new Outer(_middle);
    }

    [Fact]
    public void GetService_of_a_layer_type_returns_that_layer()
    {
        Assert.Same(_outer, _outer.GetService<Outer>());
        Assert.Same(_middle, _outer.GetService<Caching>());
        Assert.Same(_outer, _outer.GetService<DelegatingVectorStorage>());
        Assert.Same(_outer, _outer.GetService<IVectorStorage>());
    }

    [Fact]
    public void GetService_of_an_optional_port_walks_to_the_layer_that_has_it()
    {
        Assert.Same(_middle, _outer.GetService<ICacheableVectorStorage>());
        Assert.Same(_inner, _outer.GetService<IBatchVectorStorage>());
    }

    [Fact]
    public void GetService_of_an_absent_port_is_null()
    {
        Assert.Null(_outer.GetService<IStreamingVectorStorage>());
        _inner.Received(1).GetService(typeof(IStreamingVectorStorage), null);
    }

    [Fact]
    public void GetService_with_a_key_is_answered_by_the_inner_storage()
    {
        _inner.GetService(typeof(Outer), "primary").Returns("keyed");

        Assert.Equal("keyed", _outer.GetService(typeof(Outer), "primary"));
    }

    [Fact]
    public void GetService_without_a_type_throws()
    {
        Assert.Throws<ArgumentNullException>(() => _outer.GetService(null!));
        Assert.Throws<ArgumentNullException>(() => VectorStorageExtensions.GetService<IBatchVectorStorage>(null!));
    }

    [Fact]
    public void GetRequiredService_returns_a_present_port()
    {
        Assert.Same(_inner, _outer.GetRequiredService<IBatchVectorStorage>());
    }

    [Fact]
    public void GetRequiredService_of_an_absent_port_names_the_system()
    {
        var ex = Assert.Throws<UnsupportedOperationException>(() => _outer.GetRequiredService<IStreamingVectorStorage>());

        Assert.Equal("fake", ex.SystemName);
        Assert.Equal(ErrorCodes.UnsupportedOperation, ex.Code);
        Assert.Contains("'fake'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(IStreamingVectorStorage), ex.Message, StringComparison.Ordinal);
    }

    private sealed class Outer(IVectorStorage inner) : DelegatingVectorStorage(inner);

    private sealed class Caching(IVectorStorage inner) : DelegatingVectorStorage(inner), ICacheableVectorStorage
    {
        public ValueTask InvalidateAsync(IndexName? index = null, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public CacheStatistics GetStatistics() => new(0, 0, 0, 0);
    }
}
