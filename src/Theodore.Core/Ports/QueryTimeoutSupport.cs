namespace Theodore.Core.Ports;

/// <summary>How a backend honours <see cref="Domain.SearchOptions.Timeout"/>.</summary>
public enum QueryTimeoutSupport
{
    /// <summary>A search with a timeout is refused with <see cref="Errors.UnsupportedOperationException"/>.</summary>
    None,

    /// <summary>
    /// The call is cancelled at the deadline and fails with <see cref="Errors.StorageTimeoutException"/>, but the backend
    /// is not told: it may go on working on the query after the caller has stopped waiting (Pinecone has no query timeout).
    /// </summary>
    ClientDeadline,

    /// <summary>
    /// The call fails at the deadline and the backend stops the work too: the native engine checks the deadline while it
    /// walks the graph or scans, the mock while it scans, Qdrant is sent the timeout (whole seconds, rounded up).
    /// </summary>
    BackendDeadline,
}
