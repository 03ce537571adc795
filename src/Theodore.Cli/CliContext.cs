using Spectre.Console;
using Theodore.Cli.Client;

namespace Theodore.Cli;

/// <summary>What a command runs with: the client for the chosen API, the consoles, and the output mode.</summary>
internal sealed record CliContext(TheodoreClient Client, IAnsiConsole Out, IAnsiConsole Error, bool Json, TimeSpan PollInterval);
