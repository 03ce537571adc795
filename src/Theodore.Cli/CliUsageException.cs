namespace Theodore.Cli;

/// <summary>A wrong command line found after parsing (a file that is not there, a filter that is not JSON): exit 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
