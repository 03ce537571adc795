namespace Theodore.Cli;

/// <summary>The process entry point; everything else is <see cref="TheodoreCli.RunAsync"/>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => TheodoreCli.RunAsync(args, CliEnvironment.FromProcess());
}
