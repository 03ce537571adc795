using System.Net;
using Theodore.Cli.Client;
using Theodore.Cli.Import;

namespace Theodore.Cli.Tests;

public sealed class ImportRunnerTests
{
    [Fact]
    public async Task RunAsync_reports_progress_after_each_chunk_against_the_counted_total()
    {
        using var file = new TempFile("c.jsonl", "{\"id\":\"a\",\"name\":\"A\"}\nbad\n{\"id\":\"c\",\"name\":\"C\"}\n\n{\"id\":\"d\",\"name\":\"D\"}\n{\"id\":\"e\",\"name\":\"E\"}\n");
        var source = ImportSource.For(file.Path)!;
        using var http = new HttpClient(new FakeApi(FakeImport.Answer)) { BaseAddress = new Uri("http://theodore.test/") };
        var reports = new List<ImportProgress>();

        var total = source.Count();
        var outcome = await new ImportRunner(new TheodoreClient(http, null), 2).RunAsync(source, total, reports.Add, CancellationToken.None);

        Assert.Equal(5, total);
        Assert.Equal([0L, 2, 4, 5], reports.Select(p => p.Done));
        Assert.All(reports, p => Assert.Equal(5, p.Total));
        Assert.Equal([0L, 1, 1, 1], reports.Select(p => p.Failed));
        Assert.Equal(new ImportProgress(5, 5, 4, 0, 0, 1), outcome.Progress);
        Assert.Equal(2, Assert.Single(outcome.Failures).Number);
        Assert.Null(outcome.StoppedBy);
    }

    [Fact]
    public async Task RunAsync_counts_an_item_the_server_did_not_answer_as_failed()
    {
        using var file = new TempFile("c.jsonl", "{\"id\":\"a\",\"name\":\"A\"}\n{\"id\":\"b\",\"name\":\"B\"}\n");
        var source = ImportSource.For(file.Path)!;
        var api = new FakeApi(_ => FakeApi.Json("""
            {"results":[{"index":1,"id":"b","status":"updated"}],"summary":{"total":2,"created":0,"updated":1,"unchanged":0,"failed":0,"durationMs":1}}
            """));
        using var http = new HttpClient(api) { BaseAddress = new Uri("http://theodore.test/") };

        var outcome = await new ImportRunner(new TheodoreClient(http, null), 10).RunAsync(source, 2, null, CancellationToken.None);

        Assert.Equal(new ImportProgress(2, 2, 0, 1, 0, 1), outcome.Progress);
        var failure = Assert.Single(outcome.Failures);
        Assert.Equal(1, failure.Number);
        Assert.Equal("no_result", Assert.Single(failure.Errors).Code);
    }

    [Fact]
    public async Task RunAsync_retries_a_chunk_refused_with_429_and_a_short_retry_after()
    {
        using var file = new TempFile("c.jsonl", "{\"id\":\"a\",\"name\":\"A\"}\n");
        var source = ImportSource.For(file.Path)!;
        var calls = 0;
        var api = new FakeApi(r =>
        {
            if (++calls == 1)
            {
                var busy = FakeApi.Problem(HttpStatusCode.TooManyRequests, """{"title":"Too many requests.","status":429,"code":"rate_limited"}""");
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
                return busy;
            }

            return FakeImport.Answer(r);
        });
        using var http = new HttpClient(api) { BaseAddress = new Uri("http://theodore.test/") };

        var outcome = await new ImportRunner(new TheodoreClient(http, null), 10).RunAsync(source, 1, null, CancellationToken.None);

        Assert.Equal(2, calls);
        Assert.Equal(1, outcome.Progress.Created);
        Assert.Null(outcome.StoppedBy);
    }

    [Fact]
    public async Task RunAsync_stops_when_the_answer_ends_with_an_error_and_fails_the_items_it_did_not_reach()
    {
        using var file = new TempFile("c.jsonl", "{\"id\":\"a\",\"name\":\"A\"}\n{\"id\":\"b\",\"name\":\"B\"}\n{\"id\":\"c\",\"name\":\"C\"}\n");
        var source = ImportSource.For(file.Path)!;
        var api = new FakeApi(_ => FakeApi.Json("""
            {"results":[{"index":0,"id":"a","status":"created"}],"error":{"path":"","code":"storage_unavailable","message":"the disk is gone"}}
            """));
        using var http = new HttpClient(api) { BaseAddress = new Uri("http://theodore.test/") };

        var outcome = await new ImportRunner(new TheodoreClient(http, null), 2).RunAsync(source, 3, null, CancellationToken.None);

        Assert.Single(api.Requests);
        Assert.Equal(new ImportProgress(2, 3, 1, 0, 0, 1), outcome.Progress);
        Assert.Equal("storage_unavailable", Assert.Single(Assert.Single(outcome.Failures).Errors).Code);
        Assert.IsType<ImportStoppedException>(outcome.StoppedBy);
        Assert.Contains("the disk is gone", outcome.StoppedBy.Message, StringComparison.Ordinal);
    }
}
