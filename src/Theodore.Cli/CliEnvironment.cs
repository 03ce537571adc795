using Spectre.Console;

namespace Theodore.Cli;

/// <summary>
/// What the CLI needs from the world, so a test can supply each: the consoles, the HTTP handler, the environment
/// variables, and the re-embed poll interval.
/// </summary>
internal sealed class CliEnvironment
{
    /// <summary>Tables, progress, and the <c>--json</c> output.</summary>
    public required IAnsiConsole Out { get; init; }

    /// <summary>Error messages; <see cref="Out"/> when not set.</summary>
    public IAnsiConsole? Error { get; init; }

    /// <summary>The handler under every request; null for a plain <see cref="SocketsHttpHandler"/>. Not disposed by the CLI.</summary>
    public HttpMessageHandler? Handler { get; init; }

    public Func<string, string?> Variables { get; init; } = Environment.GetEnvironmentVariable;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one request may take; an import chunk embeds its companies before it answers.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public IAnsiConsole ErrorConsole => Error ?? Out;

    /// <summary>The real process: stdout, stderr and the process's environment.</summary>
    public static CliEnvironment FromProcess() => new()
    {
        Out = AnsiConsole.Console,
        Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }),
    };
}
