using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Composition;

/// <summary>
/// Wraps an adapter in decorators. The first <see cref="Use(Func{IVectorStorage, IServiceProvider, IVectorStorage})"/>
/// is the outermost layer, so the calls read in the order a request passes through them.
/// </summary>
public sealed class VectorStorageBuilder
{
    private readonly Func<IServiceProvider, IVectorStorage> _innerFactory;
    private readonly List<Func<IVectorStorage, IServiceProvider, IVectorStorage>> _layers = [];

    public VectorStorageBuilder(IVectorStorage innerStorage)
    {
        ArgumentNullException.ThrowIfNull(innerStorage);
        _innerFactory = _ => innerStorage;
    }

    public VectorStorageBuilder(Func<IServiceProvider, IVectorStorage> innerFactory)
    {
        _innerFactory = innerFactory ?? throw new ArgumentNullException(nameof(innerFactory));
    }

    public VectorStorageBuilder Use(Func<IVectorStorage, IServiceProvider, IVectorStorage> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(layer);
        return this;
    }

    public VectorStorageBuilder Use(Func<IVectorStorage, IVectorStorage> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return Use((inner, _) => layer(inner));
    }

    public IVectorStorage Build(IServiceProvider? services = null)
    {
        services ??= EmptyServiceProvider.Instance;
        var storage = _innerFactory(services) ?? throw new InvalidOperationException("The inner storage factory returned null.");
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            storage = _layers[i](storage, services) ?? throw new InvalidOperationException($"Decorator {i} of the vector storage builder returned null.");
        }

        return storage;
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static EmptyServiceProvider Instance { get; } = new();

        public object? GetService(Type serviceType) => null;
    }
}
