using System.Net;
using System.Net.Sockets;

namespace Theodore.Cli.Tests;

public sealed class GlobalOptionsTests
{
    private const string Stats = """{"index":"companies","count":3,"embedding":{"model":"all-MiniLM-L6-v2","version":"1","dimension":384,"normalize":true}}""";

    [Fact]
    public async Task Url_defaults_to_the_api_launch_address_and_no_key_is_sent()
    {
        var api = new FakeApi(_ => FakeApi.Json(Stats));

        var run = await CliRun.RunAsync(api, "stats");

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(new Uri("http://localhost:5080/v1/companies/stats"), request.Uri);
        Assert.Null(request.ApiKey);
    }

    [Fact]
    public async Task Environment_variables_give_the_url_and_the_key()
    {
        var api = new FakeApi(_ => FakeApi.Json(Stats));
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["THEODORE_URL"] = "http://env.test:9000/base", ["THEODORE_API_KEY"] = "from-env" };

        var run = await CliRun.RunAsync(api, variables, "stats");

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(new Uri("http://env.test:9000/base/v1/companies/stats"), request.Uri);
        Assert.Equal("from-env", request.ApiKey);
    }

    [Fact]
    public async Task Options_win_over_environment_variables_and_may_follow_the_command()
    {
        var api = new FakeApi(_ => FakeApi.Json(Stats));
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["THEODORE_URL"] = "http://env.test:9000", ["THEODORE_API_KEY"] = "from-env" };

        var run = await CliRun.RunAsync(api, variables, "stats", "--url", "https://option.test/", "--api-key", "from-option");

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(new Uri("https://option.test/v1/companies/stats"), request.Uri);
        Assert.Equal("from-option", request.ApiKey);
    }

    [Theory]
    [InlineData("--url", "not a url", "stats")]
    [InlineData("--url", "ftp://theodore.test", "stats")]
    [InlineData("stats", "--no-such-option")]
    [InlineData("no-such-command")]
    [InlineData("similar")]
    [InlineData("search", "x", "--top-k", "0")]
    [InlineData("search", "x", "--top-k", "101")]
    [InlineData("search", "x", "--top-k", "many")]
    [InlineData("similar", "a", "--min-score", "high")]
    [InlineData("similar", "a", "--min-score", "2")]
    [InlineData("similar", "a", "--founded-from", "soon")]
    [InlineData("search", "x", "--filter", "{not json")]
    [InlineData("search", "x", "--filter", "[1]")]
    [InlineData("reembed")]
    public async Task A_wrong_command_line_exits_2_without_calling_the_api(params string[] args)
    {
        var api = new FakeApi(_ => FakeApi.Json(Stats));

        var run = await CliRun.RunAsync(api, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(api.Requests);
        Assert.NotEmpty(run.Error.Output);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_the_commands()
    {
        var run = await CliRun.RunAsync(new FakeApi(_ => throw new InvalidOperationException("no request expected")), "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "import", "similar", "search", "get", "delete", "stats", "reembed", "--url", "--api-key", "--json" })
        {
            Assert.Contains(command, run.Out.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_api_that_refuses_connections_gives_one_line_and_exit_3()
    {
        var port = FreePort();

        var run = await CliRun.RunAsync(null, "stats", "--url", $"http://127.0.0.1:{port}");

        Assert.Equal(3, run.ExitCode);
        var message = run.Error.Output.Trim();
        Assert.StartsWith($"cannot reach Theodore at http://127.0.0.1:{port}/: ", message, StringComparison.Ordinal);
        Assert.EndsWith("is it running? (dotnet run --project src/Theodore.Api)", message, StringComparison.Ordinal);
        Assert.Single(message.Split('\n'));
        Assert.DoesNotContain("   at ", run.Out.Output + run.Error.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "unauthorized", "The API key is not valid.")]
    [InlineData(HttpStatusCode.Forbidden, "forbidden", "A read-only key cannot write.")]
    public async Task A_refused_key_says_so_and_exits_3(HttpStatusCode status, string code, string detail)
    {
        var api = new FakeApi(_ => FakeApi.Problem(status, $$"""{"title":"No.","status":{{(int)status}},"code":"{{code}}","detail":"{{detail}}"}"""));

        var run = await CliRun.RunAsync(api, "delete", "a", "--api-key", "wrong");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"the API refused the key ({(int)status} {code}: {detail})", run.Error.Output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
