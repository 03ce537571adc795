namespace Theodore.Core.Ports;

public static class VectorStorageExtensions
{
    /// <summary>The optional port <typeparamref name="T"/> anywhere in the stack, or null.</summary>
    public static T? GetService<T>(this IVectorStorage storage, object? serviceKey = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.GetService(typeof(T), serviceKey) as T;
    }

    /// <summary>The optional port <typeparamref name="T"/>, or an <see cref="Errors.UnsupportedOperationException"/> naming the backend.</summary>
    public static T GetRequiredService<T>(this IVectorStorage storage)
        where T : class =>
        storage.GetService<T>() ?? throw new Errors.UnsupportedOperationException($"The '{storage.Capabilities.SystemName}' backend does not provide {typeof(T).Name}.")
        {
            SystemName = storage.Capabilities.SystemName,
        };
}
