using System.Net;
using System.Text.Json;

namespace Theodore.Cli.Tests;

public sealed class CommandTests
{
    private const string Similar = """
        {"company":{"id":"northwind","name":"Northwind Payroll"},
         "matches":[
           {"score":0.91234,"company":{"id":"contoso","name":"Contoso HR","industry":"software","country":"DE"},"shared":{"industry":"software","country":"DE","tags":["payroll","hr"]}},
           {"score":0.5,"company":{"id":"[red]markup[/]","name":"Fabrikam","industry":"retail","country":"FR"},"shared":{}}
         ]}
        """;

    [Fact]
    public async Task Similar_sends_every_filter_in_the_query_and_prints_rank_score_and_shared_attributes()
    {
        var api = new FakeApi(_ => FakeApi.Json(Similar));

        var run = await CliRun.RunAsync(
            api,
            "similar", "north wind/1", "--top-k", "5", "--industry", "software", "--country", "DE", "--size", "small",
            "--founded-from", "2000", "--founded-to", "2020", "--tag", "payroll", "--tag", "hr", "--min-score", "0.25");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "/v1/companies/north%20wind%2F1/similar?topK=5&industry=software&country=DE&size=small&foundedFrom=2000&foundedTo=2020&tag=payroll&tag=hr&minScore=0.25",
            Assert.Single(api.Requests).Uri.OriginalString.Replace("http://localhost:5080", "", StringComparison.Ordinal));
        var output = run.Out.Output;
        Assert.Contains("Companies like Northwind Payroll (northwind)", output, StringComparison.Ordinal);
        Assert.Matches(@"│\s*1\s*│\s*0\.912\s*│\s*contoso\s*│\s*Contoso HR\s*│\s*software\s*│\s*DE\s*│\s*industry=software; country=DE; tags=payroll,hr\s*│", output);
        Assert.Matches(@"│\s*2\s*│\s*0\.500\s*│\s*\[red\]markup\[/\]\s*│", output); // data is never markup
    }

    [Fact]
    public async Task Similar_without_options_sends_no_query_string()
    {
        var api = new FakeApi(_ => FakeApi.Json(Similar));

        await CliRun.RunAsync(api, "similar", "northwind");

        Assert.Equal("/v1/companies/northwind/similar", Assert.Single(api.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Json_prints_the_api_answer_as_it_came()
    {
        var api = new FakeApi(_ => FakeApi.Json(Similar));

        var run = await CliRun.RunAsync(api, "similar", "northwind", "--json");

        Assert.Equal(Similar.Trim(), run.Out.Output.Trim());
    }

    [Fact]
    public async Task Search_posts_text_top_k_filter_and_min_score_and_prints_a_table()
    {
        var api = new FakeApi(_ => FakeApi.Json("""{"matches":[{"score":0.87654,"company":{"id":"contoso","name":"Contoso HR","industry":"software","country":"DE"}}]}"""));

        var run = await CliRun.RunAsync(api, "search", "payroll for restaurants", "--top-k", "3", "--filter", """{"country":"DE"}""", "--min-score", "0.3");

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/v1/companies/search", "application/json"), (request.Method, request.PathAndQuery, request.ContentType));
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("payroll for restaurants", body.GetProperty("text").GetString());
        Assert.Equal(3, body.GetProperty("topK").GetInt32());
        Assert.Equal("DE", body.GetProperty("filter").GetProperty("country").GetString());
        Assert.Equal(0.3, body.GetProperty("minScore").GetDouble());
        Assert.Matches(@"│\s*1\s*│\s*0\.877\s*│\s*contoso\s*│\s*Contoso HR\s*│\s*software\s*│\s*DE\s*│", run.Out.Output);
    }

    [Fact]
    public async Task Search_leaves_out_what_was_not_given()
    {
        var api = new FakeApi(_ => FakeApi.Json("""{"matches":[]}"""));

        await CliRun.RunAsync(api, "search", "payroll");

        Assert.Equal("""{"text":"payroll"}""", Assert.Single(api.Requests).Body);
    }

    [Fact]
    public async Task Get_prints_every_field_and_delete_confirms()
    {
        var api = new FakeApi(r => r.Method == "DELETE"
            ? new HttpResponseMessage(HttpStatusCode.NoContent)
            : FakeApi.Json("""{"id":"a","name":"Alpha","industry":"software","foundedYear":2016,"tags":["x","y"],"customFields":{"employees":42,"stage":"seed"}}"""));

        var get = await CliRun.RunAsync(api, "get", "a");
        var delete = await CliRun.RunAsync(api, "delete", "a");

        Assert.Equal(0, get.ExitCode);
        Assert.Matches(@"│\s*founded\s*│\s*2016\s*│", get.Out.Output);
        Assert.Matches(@"│\s*tags\s*│\s*x, y\s*│", get.Out.Output);
        Assert.Matches(@"│\s*custom\.employees\s*│\s*42\s*│", get.Out.Output);
        Assert.Matches(@"│\s*custom\.stage\s*│\s*seed\s*│", get.Out.Output);
        Assert.Equal(0, delete.ExitCode);
        Assert.Contains("deleted a", delete.Out.Output, StringComparison.Ordinal);
        Assert.Equal(["GET /v1/companies/a", "DELETE /v1/companies/a"], api.Requests.Select(r => r.Method + " " + r.PathAndQuery), StringComparer.Ordinal);
    }

    [Fact]
    public async Task A_problem_is_printed_with_its_title_code_and_every_error_and_exits_1()
    {
        var api = new FakeApi(_ => FakeApi.Problem(HttpStatusCode.BadRequest, """
            {"type":"urn:theodore:error:invalid_filter","title":"The request is invalid.","status":400,"code":"invalid_filter",
             "detail":"filter.country: unknown operator $like","errors":[
               {"path":"filter.country","code":"invalid_filter","message":"unknown operator $like"},
               {"path":"topK","code":"invalid_request","message":"must be at most 100"}]}
            """));

        var run = await CliRun.RunAsync(api, "search", "x", "--filter", """{"country":{"$like":"D%"}}""");

        Assert.Equal(1, run.ExitCode);
        var lines = run.Error.Output.Trim().Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal(
            ["error: The request is invalid. (400 invalid_filter)", "- filter.country: unknown operator $like (invalid_filter)", "- topK: must be at most 100 (invalid_request)"],
            lines);
    }

    [Fact]
    public async Task A_missing_company_is_a_problem_with_its_detail()
    {
        var api = new FakeApi(_ => FakeApi.Problem(HttpStatusCode.NotFound, """{"title":"Not found.","status":404,"code":"record_not_found","detail":"No company 'x'."}"""));

        var run = await CliRun.RunAsync(api, "get", "x");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: Not found. (404 record_not_found)", run.Error.Output, StringComparison.Ordinal);
        Assert.Contains("No company 'x'.", run.Error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_that_is_not_problem_details_shows_its_status_and_body()
    {
        var api = new FakeApi(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("upstream down") });

        var run = await CliRun.RunAsync(api, "stats");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("(502 BadGateway)", run.Error.Output, StringComparison.Ordinal);
        Assert.Contains("upstream down", run.Error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_prints_the_count_and_the_embedding_contract()
    {
        var api = new FakeApi(_ => FakeApi.Json("""
            {"index":"companies","count":12345,"embedding":{"model":"all-MiniLM-L6-v2","version":"1","dimension":384,"normalize":true},
             "reembed":{"state":"running","processed":10,"total":12345,"startedAt":"2026-01-01T00:00:00Z","to":{"model":"arctic-xs","version":"1","dimension":384,"normalize":true}}}
            """));

        var run = await CliRun.RunAsync(api, "stats");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│\s*count\s*│\s*12,345\s*│", run.Out.Output);
        Assert.Matches(@"│\s*model\s*│\s*all-MiniLM-L6-v2\s*│", run.Out.Output);
        Assert.Matches(@"│\s*dimension\s*│\s*384\s*│", run.Out.Output);
        Assert.Matches(@"│\s*re-embed\s*│\s*running 10/12,345 to arctic-xs\s*│", run.Out.Output);
    }
}
