using System.Net;
using System.Text.Json;

namespace Theodore.Cli.Tests;

public sealed class ImportCommandTests
{
    private const string Jsonl = """
        {"id":"a","name":"Alpha"}
        {"id":"b","name":"Beta"}
        this is not json

        {"id":"d","name":"Delta"}
        {"id":"e","description":"no name"}
        """;

    [Fact]
    public async Task Import_jsonl_in_chunks_sends_every_non_blank_line_as_ndjson_including_the_bad_one()
    {
        using var file = new TempFile("companies.jsonl", Jsonl);
        var api = new FakeApi(FakeImport.Answer);

        var run = await CliRun.RunAsync(api, "import", file.Path, "--batch-size", "2");

        Assert.Equal(3, api.Requests.Count);
        Assert.All(api.Requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal("/v1/companies/import", r.PathAndQuery);
            Assert.Equal("application/x-ndjson", r.ContentType);
        });
        var sent = api.Requests.SelectMany(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(5, sent.Count);
        Assert.Contains("this is not json", sent, StringComparer.Ordinal);
        Assert.Equal(["""{"id":"a","name":"Alpha"}""", """{"id":"b","name":"Beta"}"""], api.Requests[0].Body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public async Task Import_with_failures_prints_the_summary_and_each_failure_with_its_line_id_path_and_message()
    {
        using var file = new TempFile("companies.ndjson", Jsonl);
        var api = new FakeApi(FakeImport.Answer);

        var run = await CliRun.RunAsync(api, "import", file.Path, "--batch-size", "2");

        var output = run.Out.Output;
        Assert.Matches(@"│\s*5\s*│\s*3\s*│\s*0\s*│\s*0\s*│\s*2\s*│", output); // total, created, updated, unchanged, failed
        Assert.Matches(@"│\s*3\s*│\s*│\s*│\s*the line is not JSON \(invalid_request\)", output); // line 3, no id, no path
        Assert.Matches(@"│\s*6\s*│\s*e\s*│\s*name\s*│\s*name is required \(invalid_request\)", output); // the blank line 4 still counts as a line
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public async Task Import_where_everything_is_created_exits_0()
    {
        using var file = new TempFile("ok.jsonl", "{\"id\":\"a\",\"name\":\"A\"}\n{\"id\":\"b\",\"name\":\"B\"}\n");
        var api = new FakeApi(FakeImport.Answer);

        var run = await CliRun.RunAsync(api, "import", file.Path);

        Assert.Single(api.Requests);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Import_of_a_json_array_sends_each_element_on_one_line_whatever_its_layout()
    {
        const string array = """
            [
              {
                "id": "a",
                "name": "Alpha [with brackets] and \"quotes\"",
                "description": "two\nlines"
              },
              {"id": "b", "name": "Beta", "tags": ["x", "y"]},
              42,
              {"id": "c", "name": "Gamma", "customFields": {"nested": [1, 2]}}
            ]
            """;
        using var file = new TempFile("companies.json", array);
        var api = new FakeApi(FakeImport.Answer);

        var run = await CliRun.RunAsync(api, "import", file.Path, "--batch-size", "3");

        Assert.Equal(2, api.Requests.Count);
        var lines = api.Requests.SelectMany(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(4, lines.Count);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("Alpha [with brackets] and \"quotes\"", first.GetProperty("name").GetString());
        Assert.Equal("two\nlines", first.GetProperty("description").GetString());
        Assert.Equal("42", lines[2]);
        Assert.Equal("c", JsonDocument.Parse(lines[3]).RootElement.GetProperty("id").GetString());
        Assert.Equal(1, run.ExitCode); // 42 is not a company
        Assert.Matches(@"│\s*3\s*│\s*│\s*name\s*│\s*name is required", run.Out.Output); // item 3
    }

    [Theory]
    [InlineData("broken.json", """[{"id":"a","name":"A"}, {"id":""")]
    [InlineData("object.json", """{"id":"a","name":"A"}""")]
    [InlineData("empty.json", "")]
    public async Task Import_of_a_json_file_that_is_not_an_array_is_a_usage_error_and_sends_nothing(string name, string content)
    {
        using var file = new TempFile(name, content);
        var api = new FakeApi(FakeImport.Answer);

        var run = await CliRun.RunAsync(api, "import", file.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(api.Requests);
        Assert.Contains("is not a JSON array of companies", run.Error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_a_missing_file_or_an_unknown_extension_is_a_usage_error()
    {
        using var csv = new TempFile("companies.csv", "id,name\n");
        var api = new FakeApi(FakeImport.Answer);

        var missing = await CliRun.RunAsync(api, "import", csv.Path + ".nope.jsonl");
        var unknown = await CliRun.RunAsync(api, "import", csv.Path);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such file", missing.Error.Output, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("expected .jsonl or .ndjson", unknown.Error.Output, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("many")]
    public async Task Import_with_a_bad_batch_size_is_a_usage_error(string batchSize)
    {
        using var file = new TempFile("ok.jsonl", "{\"id\":\"a\",\"name\":\"A\"}\n");
        var api = new FakeApi(FakeImport.Answer);

        var run = await CliRun.RunAsync(api, "import", file.Path, "--batch-size", batchSize);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Import_with_json_prints_the_summary_and_the_failures_as_json()
    {
        using var file = new TempFile("companies.jsonl", Jsonl);
        var api = new FakeApi(FakeImport.Answer);

        var run = await CliRun.RunAsync(api, "import", file.Path, "--json");

        var output = JsonDocument.Parse(run.Out.Output).RootElement;
        Assert.Equal(5, output.GetProperty("summary").GetProperty("total").GetInt32());
        Assert.Equal(2, output.GetProperty("summary").GetProperty("failed").GetInt32());
        Assert.Equal([3, 6], output.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("line").GetInt32()));
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public async Task Import_stops_when_the_server_refuses_a_chunk_whole_and_says_how_far_it_got()
    {
        using var file = new TempFile("companies.jsonl", Jsonl);
        var api = new FakeApi(r => r.Body.Contains("not json", StringComparison.Ordinal)
            ? FakeApi.Problem(HttpStatusCode.RequestEntityTooLarge, """{"title":"The body is too large.","status":413,"code":"payload_too_large"}""")
            : FakeImport.Answer(r));

        var run = await CliRun.RunAsync(api, "import", file.Path, "--batch-size", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, api.Requests.Count);
        Assert.Contains("the import stopped after 2 of 5 companies", run.Error.Output, StringComparison.Ordinal);
        Assert.Contains("The body is too large. (413 payload_too_large)", run.Error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_whose_api_goes_away_midway_exits_3()
    {
        using var file = new TempFile("companies.jsonl", Jsonl);
        var count = 0;
        var api = new FakeApi(r => ++count > 1 ? throw new HttpRequestException("Connection refused") : FakeImport.Answer(r));

        var run = await CliRun.RunAsync(api, "import", file.Path, "--batch-size", "2");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("cannot reach Theodore", run.Error.Output, StringComparison.Ordinal);
    }
}
