namespace Theodore.Core.Ports;

/// <summary>
/// A backend with state to recover before it serves (a data directory, say): the host opens it once, before it
/// accepts requests, and disposes it asynchronously after the last. Until it is open every call fails as transient
/// <see cref="Errors.StorageUnavailableException"/> and its health is unhealthy. Reached with
/// <see cref="IVectorStorage.GetService"/> through any stack of decorators.
/// </summary>
public interface IOpenableVectorStorage
{
    bool IsOpen { get; }

    /// <summary>Recovers and opens the storage; a second call does nothing. Throws, with the reason, when it cannot.</summary>
    ValueTask OpenAsync(CancellationToken cancellationToken = default);
}
