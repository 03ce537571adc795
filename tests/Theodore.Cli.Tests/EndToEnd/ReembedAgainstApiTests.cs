namespace Theodore.Cli.Tests.EndToEnd;

/// <summary>Re-embedding through the CLI, on an API of its own since a re-embed switches the companies' index.</summary>
public sealed class ReembedAgainstApiTests(ApiHost api) : IClassFixture<ApiHost>
{
    private static readonly string Companies = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "companies.jsonl");

    [Fact]
    public async Task Reembed_follows_the_job_until_it_completes_and_every_company_is_still_found()
    {
        Assert.Equal(1, (await api.RunAsync("import", Companies, "--json")).ExitCode);

        var run = await api.RunAsync("reembed", "--provider", "Local", "--model", "MiniLM");
        var stats = await api.RunAsync("stats");
        var unknown = await api.RunAsync("reembed", "--provider", "Local", "--model", "NoSuchModel");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("re-embed completed", run.Out.Output, StringComparison.Ordinal);
        Assert.Contains("6/6 companies", run.Out.Output, StringComparison.Ordinal);
        Assert.Equal(0, stats.ExitCode);
        Assert.Matches(@"│\s*count\s*│\s*6\s*│", stats.Out.Output);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("NoSuchModel", unknown.Error.Output, StringComparison.Ordinal);
    }
}
