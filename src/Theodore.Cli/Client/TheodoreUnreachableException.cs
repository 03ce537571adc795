namespace Theodore.Cli.Client;

/// <summary>No HTTP answer at all: connection refused, unknown host, TLS failure, or no answer in time.</summary>
internal sealed class TheodoreUnreachableException(Uri baseAddress, string reason, Exception? inner = null)
    : Exception($"cannot reach Theodore at {baseAddress}: {reason}", inner)
{
    public Uri BaseAddress { get; } = baseAddress;

    public string Reason { get; } = reason;
}
