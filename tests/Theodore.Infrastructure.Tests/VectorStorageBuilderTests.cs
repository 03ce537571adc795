using NSubstitute;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Composition;

namespace Theodore.Infrastructure.Tests;

public sealed class VectorStorageBuilderTests
{
    [Fact]
    public async Task Build_first_use_is_outermost()
    {
        var calls = new List<string>();
        var adapter = Substitute.For<IVectorStorage>();
        adapter.ListIndexesAsync(Arg.Any<CancellationToken>()).Returns(_ =>
        {
            calls.Add("adapter");
            return ValueTask.FromResult<IReadOnlyList<IndexInfo>>([]);
        });

        var storage = new VectorStorageBuilder(adapter)
            .Use(inner => new Recording("outer", inner, calls))
            .Use(inner => new Recording("inner", inner, calls))
            .Build();
        await storage.ListIndexesAsync();

        Assert.Equal(["outer", "inner", "adapter"], calls);
    }

    [Fact]
    public void GetService_finds_decorators_and_optional_ports_of_the_adapter_through_the_stack()
    {
        var adapter = Substitute.For<IVectorStorage, IBatchVectorStorage>();
        adapter.GetService(Arg.Any<Type>(), Arg.Any<object?>()).Returns(c => ((Type)c[0]).IsInstanceOfType(adapter) ? adapter : null);
        var calls = new List<string>();

        var storage = new VectorStorageBuilder(adapter)
            .Use(inner => new Recording("outer", inner, calls))
            .Use(inner => new Caching(inner))
            .Build();

        Assert.IsType<Recording>(storage);
        Assert.IsType<Caching>(storage.GetService<ICacheableVectorStorage>());
        Assert.Same(adapter, storage.GetService<IBatchVectorStorage>());
        Assert.Null(storage.GetService<IStreamingVectorStorage>());
    }

    [Fact]
    public void Build_with_a_layer_returning_null_throws_naming_the_layer()
    {
        var builder = new VectorStorageBuilder(Substitute.For<IVectorStorage>()).Use(_ => null!);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Contains("Decorator 0", error.Message, StringComparison.Ordinal);
    }

    private sealed class Recording(string name, IVectorStorage inner, List<string> calls) : DelegatingVectorStorage(inner)
    {
        public override ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default)
        {
            calls.Add(name);
            return base.ListIndexesAsync(cancellationToken);
        }
    }

    private sealed class Caching(IVectorStorage inner) : DelegatingVectorStorage(inner), ICacheableVectorStorage
    {
        public ValueTask InvalidateAsync(IndexName? index = null, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public CacheStatistics GetStatistics() => new(0, 0, 0, 0);
    }
}
