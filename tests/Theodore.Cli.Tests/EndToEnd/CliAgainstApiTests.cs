using System.Text.Json;

namespace Theodore.Cli.Tests.EndToEnd;

/// <summary>The CLI against the real API: one import, then the reads it makes possible. Tests run in order of need, so each imports first (idempotent).</summary>
public sealed class CliAgainstApiTests(ApiHost api) : IClassFixture<ApiHost>
{
    private static readonly string Companies = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "companies.jsonl");

    private async Task ImportAsync()
    {
        var run = await api.RunAsync("import", Companies, "--batch-size", "3", "--json");
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public async Task Import_of_a_file_with_one_bad_line_stores_the_rest_and_reports_the_line()
    {
        var run = await api.RunAsync("import", Companies, "--batch-size", "3", "--json");

        Assert.Equal(1, run.ExitCode);
        var output = JsonDocument.Parse(run.Out.Output).RootElement;
        var summary = output.GetProperty("summary");
        Assert.Equal(7, summary.GetProperty("total").GetInt32());
        Assert.Equal(6, summary.GetProperty("created").GetInt32() + summary.GetProperty("updated").GetInt32() + summary.GetProperty("unchanged").GetInt32());
        Assert.Equal(1, summary.GetProperty("failed").GetInt32());
        var failure = Assert.Single(output.GetProperty("failures").EnumerateArray());
        Assert.Equal(5, failure.GetProperty("line").GetInt32());
        Assert.NotEmpty(failure.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Import_again_with_tables_reports_every_company_unchanged()
    {
        await ImportAsync();

        var run = await api.RunAsync("import", Companies);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"│\s*7\s*│\s*0\s*│\s*0\s*│\s*6\s*│\s*1\s*│", run.Out.Output);
        Assert.Matches(@"│\s*5\s*│", run.Out.Output);
    }

    [Fact]
    public async Task Similar_finds_the_other_restaurant_payroll_company_first_and_never_the_company_itself()
    {
        await ImportAsync();

        var table = await api.RunAsync("similar", "northwind-payroll", "--top-k", "3");
        var json = await api.RunAsync("similar", "northwind-payroll", "--top-k", "3", "--json");

        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"│\s*1\s*│\s*0\.\d{3}\s*│\s*tablewage\s*│\s*TableWage\s*│\s*software\s*│\s*DE\s*│.*industry=software", table.Out.Output);
        var ids = JsonDocument.Parse(json.Out.Output).RootElement.GetProperty("matches").EnumerateArray()
            .Select(m => m.GetProperty("company").GetProperty("id").GetString()).ToList();
        Assert.Equal(3, ids.Count);
        Assert.DoesNotContain("northwind-payroll", ids, StringComparer.Ordinal);
    }

    [Fact]
    public async Task Similar_with_a_filter_keeps_only_matching_companies()
    {
        await ImportAsync();

        var run = await api.RunAsync("similar", "northwind-payroll", "--country", "FR", "--json");

        Assert.Equal(0, run.ExitCode);
        var countries = JsonDocument.Parse(run.Out.Output).RootElement.GetProperty("matches").EnumerateArray()
            .Select(m => m.GetProperty("company").GetProperty("country").GetString()).ToList();
        Assert.NotEmpty(countries);
        Assert.All(countries, c => Assert.Equal("FR", c));
    }

    [Fact]
    public async Task Search_by_text_ranks_the_shipping_company_first()
    {
        await ImportAsync();

        var run = await api.RunAsync("search", "container shipping and port logistics", "--top-k", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│\s*1\s*│\s*0\.\d{3}\s*│\s*harbor-freight-lines\s*│", run.Out.Output);
    }

    [Fact]
    public async Task Stats_get_and_delete_work_and_a_missing_company_is_a_problem()
    {
        await ImportAsync();

        var stats = await api.RunAsync("stats", "--json");
        var get = await api.RunAsync("get", "petalpost");
        var delete = await api.RunAsync("delete", "shiftly");
        var gone = await api.RunAsync("get", "shiftly");
        await ImportAsync(); // puts shiftly back for the other tests

        Assert.Equal(0, stats.ExitCode);
        Assert.True(JsonDocument.Parse(stats.Out.Output).RootElement.GetProperty("count").GetInt64() >= 5);
        Assert.Equal(0, get.ExitCode);
        Assert.Matches(@"│\s*name\s*│\s*PetalPost\s*│", get.Out.Output);
        Assert.Equal(0, delete.ExitCode);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("record_not_found", gone.Error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_is_refused_with_exit_3()
    {
        var run = await api.RunWithoutKeyAsync("stats");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("the API refused the key (401", run.Error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_search_filter_prints_the_problem_with_its_errors()
    {
        var run = await api.RunAsync("search", "payroll", "--filter", """{"country":{"$like":"D"}}""");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("invalid_filter", run.Error.Output, StringComparison.Ordinal);
        Assert.Contains("$like", run.Error.Output, StringComparison.Ordinal);
    }
}
