using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Query;

/// <summary>
/// What a search gets when its request leaves it out: the host's default deadline (<c>Api:DefaultQueryTimeoutMs</c>,
/// ADR 0013). The default is applied only where the backend honours a deadline; a request's own <c>timeoutMs</c> is
/// always passed on, and refused by a backend that cannot honour it.
/// </summary>
public sealed record QueryDefaults(TimeSpan? Timeout = null)
{
    internal SearchOptions Apply(SearchOptions options, StorageCapabilities capabilities) =>
        options.Timeout is null && Timeout is { } timeout && capabilities.QueryTimeout != QueryTimeoutSupport.None
            ? options with { Timeout = timeout }
            : options;
}
