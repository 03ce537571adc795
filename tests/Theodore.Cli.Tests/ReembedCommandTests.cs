using System.Net;
using System.Text.Json;

namespace Theodore.Cli.Tests;

public sealed class ReembedCommandTests
{
    private static string Status(string state, int processed, string? error = null) =>
        $$"""{"state":"{{state}}","processed":{{processed}},"total":4,"startedAt":"2026-01-01T00:00:00Z","to":{"model":"arctic-xs","version":"1","dimension":384,"normalize":true}{{(error is null ? "" : $",\"error\":\"{error}\"")}}}""";

    [Fact]
    public async Task Reembed_starts_then_polls_until_completed_and_exits_0()
    {
        var polls = new Queue<string>([Status("running", 2), Status("running", 3), Status("completed", 4)]);
        var api = new FakeApi(r => r.Method == "POST"
            ? FakeApi.Json(Status("running", 0), HttpStatusCode.Accepted)
            : FakeApi.Json(polls.Dequeue()));

        var run = await CliRun.RunAsync(api, "reembed", "--provider", "Local", "--model", "ArcticXs");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["POST /v1/companies/reembed", "GET /v1/companies/reembed", "GET /v1/companies/reembed", "GET /v1/companies/reembed"], api.Requests.Select(r => r.Method + " " + r.PathAndQuery), StringComparer.Ordinal);
        var body = JsonDocument.Parse(api.Requests[0].Body).RootElement;
        Assert.Equal(("Local", "ArcticXs"), (body.GetProperty("provider").GetString(), body.GetProperty("model").GetString()));
        Assert.Contains("re-embed completed to arctic-xs 1 (384 dimensions): 4/4 companies", run.Out.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reembed_that_fails_prints_the_error_and_exits_1()
    {
        var api = new FakeApi(r => r.Method == "POST"
            ? FakeApi.Json(Status("running", 0), HttpStatusCode.Accepted)
            : FakeApi.Json(Status("failed", 1, "the model could not be loaded")));

        var run = await CliRun.RunAsync(api, "reembed", "--provider", "Local", "--model", "Nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("re-embed failed", run.Error.Output, StringComparison.Ordinal);
        Assert.Contains("the model could not be loaded", run.Error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reembed_no_wait_returns_after_starting()
    {
        var api = new FakeApi(_ => FakeApi.Json(Status("running", 0), HttpStatusCode.Accepted));

        var run = await CliRun.RunAsync(api, "reembed", "--provider", "Local", "--model", "ArcticXs", "--no-wait", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Single(api.Requests);
        Assert.Equal("running", JsonDocument.Parse(run.Out.Output).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Reembed_while_one_runs_prints_the_conflict_and_exits_1()
    {
        var api = new FakeApi(_ => FakeApi.Problem(HttpStatusCode.Conflict, """{"title":"A re-embed is running.","status":409,"code":"conflict"}"""));

        var run = await CliRun.RunAsync(api, "reembed", "--provider", "Local", "--model", "ArcticXs");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("A re-embed is running. (409 conflict)", run.Error.Output, StringComparison.Ordinal);
    }
}
