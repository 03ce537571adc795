namespace Theodore.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Some items failed, the API refused the request, or a re-embed failed.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong (unknown option, bad value, unreadable file).</summary>
    public const int Usage = 2;

    /// <summary>The API cannot be reached, or it refused the key.</summary>
    public const int Unreachable = 3;
}
