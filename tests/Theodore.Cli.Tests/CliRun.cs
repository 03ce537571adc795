using Spectre.Console.Testing;

namespace Theodore.Cli.Tests;

/// <summary>Runs the CLI in process against a handler, with test consoles and chosen environment variables.</summary>
public sealed class CliRun
{
    public TestConsole Out { get; } = new();

    public TestConsole Error { get; } = new();

    public int ExitCode { get; private set; }

    internal static async Task<CliRun> RunAsync(HttpMessageHandler? handler, IReadOnlyDictionary<string, string>? variables, params string[] args)
    {
        var run = new CliRun();
        run.Out.Profile.Width = 200;
        run.Error.Profile.Width = 200;
        var env = new CliEnvironment
        {
            Out = run.Out,
            Error = run.Error,
            Handler = handler,
            Variables = name => variables is not null && variables.TryGetValue(name, out var v) ? v : null,
            PollInterval = TimeSpan.FromMilliseconds(5),
        };
        run.ExitCode = await TheodoreCli.RunAsync(args, env);
        return run;
    }

    internal static Task<CliRun> RunAsync(HttpMessageHandler? handler, params string[] args) => RunAsync(handler, null, args);
}
