using System.CommandLine;
using Theodore.Cli.Commands;
using Theodore.Cli.Output;

namespace Theodore.Cli;

/// <summary>The <c>theodore</c> command: the command tree, and one entry point that tests drive with their own environment.</summary>
internal static class TheodoreCli
{
    public static RootCommand CreateRoot(CliEnvironment env)
    {
        var setup = new CliSetup(env, new GlobalOptions());
        var root = new RootCommand("Theodore's command line: import companies, find similar ones, search, and manage the index over the HTTP API.");
        setup.Options.AddTo(root);
        root.Subcommands.Add(ImportCommand.Create(setup));
        root.Subcommands.Add(SimilarCommand.Create(setup));
        root.Subcommands.Add(SearchCommand.Create(setup));
        root.Subcommands.Add(GetCommand.Create(setup));
        root.Subcommands.Add(DeleteCommand.Create(setup));
        root.Subcommands.Add(StatsCommand.Create(setup));
        root.Subcommands.Add(ReembedCommand.Create(setup));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; the exit code is one of <see cref="ExitCodes"/>.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(env);
        var parse = CreateRoot(env).Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = new ConsoleTextWriter(env.Out),
            Error = new ConsoleTextWriter(env.ErrorConsole),
        };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Render.Error(env.ErrorConsole, error.Message);
            }

            Render.Line(env.ErrorConsole, "Run 'theodore --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(invocation, ct).ConfigureAwait(false);
    }
}
