using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Theodore.Cli.Client;
using Theodore.Cli.Import;
using Theodore.Cli.Output;

namespace Theodore.Cli.Commands;

/// <summary><c>theodore import FILE [--batch-size N]</c>: a .jsonl/.ndjson or .json file to POST /v1/companies/import.</summary>
internal static class ImportCommand
{
    public const int DefaultBatchSize = 256;
    public const int ShownFailures = 20;

    public static Command Create(CliSetup setup)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Companies, one per line (.jsonl, .ndjson) or a JSON array (.json)" };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Companies per request",
            DefaultValueFactory = _ => DefaultBatchSize,
        };
        Options.Check(batchSize, value => value is < 1 or > 10_000, "--batch-size must be between 1 and 10000.");

        var command = new Command("import", "Import companies from a file, in chunks, with progress") { file, batchSize };
        setup.SetAction(command, (context, parse, ct) => RunAsync(context, parse.GetRequiredValue(file), parse.GetValue(batchSize), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, FileInfo file, int batchSize, CancellationToken ct)
    {
        if (!file.Exists)
        {
            throw new CliUsageException($"{file.FullName}: no such file");
        }

        var source = ImportSource.For(file.FullName)
            ?? throw new CliUsageException($"{file.Name}: expected .jsonl or .ndjson (one company per line) or .json (an array of companies)");
        long total;
        try
        {
            total = source.Count();
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{file.Name} is not a JSON array of companies: {e.Message}");
        }
        catch (IOException e)
        {
            throw new CliUsageException($"{file.Name}: {e.Message}");
        }

        var runner = new ImportRunner(context.Client, batchSize);
        ImportOutcome outcome;
        if (context.Json || total == 0)
        {
            outcome = await runner.RunAsync(source, total, null, ct).ConfigureAwait(false);
        }
        else
        {
            outcome = await context.Out.Progress()
                .AutoClear(false)
                .Columns(
                    new TaskDescriptionColumn(),
                    new ProgressBarColumn(),
                    new PercentageColumn(),
                    new DoneOfTotalColumn(),
                    new RateColumn("companies/s"),
                    new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Description(file.Name, 0), maxValue: total);
                    return await runner.RunAsync(
                        source,
                        total,
                        p =>
                        {
                            task.MaxValue = p.Total;
                            task.Value = p.Done;
                            task.Description = Description(file.Name, p.Failed);
                        },
                        ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }

        if (context.Json)
        {
            Render.Json(context.Out, JsonSummary(outcome, source.PositionName));
        }
        else
        {
            Summarize(context.Out, outcome, source.PositionName);
        }

        if (outcome.StoppedBy is { } stop)
        {
            Render.Error(context.Error, $"the import stopped after {Render.Number(outcome.Progress.Done)} of {Render.Number(outcome.Progress.Total)} companies:");
            CliSetup.Report(context.Error, stop);
            return stop is TheodoreUnreachableException or TheodoreApiException { IsKeyRefused: true } ? ExitCodes.Unreachable : ExitCodes.Failed;
        }

        return outcome.Progress.Failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static string Description(string file, long failed) =>
        failed == 0 ? Markup.Escape(file) : $"{Markup.Escape(file)} [red]{failed.ToString(CultureInfo.InvariantCulture)} failed[/]";

    private static void Summarize(IAnsiConsole console, ImportOutcome outcome, string positionName)
    {
        var p = outcome.Progress;
        var table = Render.Table("total", "created", "updated", "unchanged", "failed", "duration", "companies/s");
        var rate = outcome.Duration.TotalSeconds > 0 ? p.Done / outcome.Duration.TotalSeconds : 0;
        Render.Row(
            table,
            Render.Number(p.Done),
            Render.Number(p.Created),
            Render.Number(p.Updated),
            Render.Number(p.Unchanged),
            Render.Number(p.Failed),
            Render.Duration(outcome.Duration),
            rate.ToString("N0", CultureInfo.InvariantCulture));
        console.Write(table);
        if (outcome.Failures.Count == 0)
        {
            return;
        }

        var failures = Render.Table(positionName, "id", "path", "message");
        foreach (var failure in outcome.Failures.Take(ShownFailures))
        {
            foreach (var error in failure.Errors)
            {
                Render.Row(failures, failure.Number.ToString(CultureInfo.InvariantCulture), failure.Id, error.Path, $"{error.Message} ({error.Code})");
            }
        }

        Render.Line(console, p.Failed > ShownFailures ? $"The first {ShownFailures} of {Render.Number(p.Failed)} failures:" : "Failures:");
        console.Write(failures);
    }

    private static string JsonSummary(ImportOutcome outcome, string positionName)
    {
        var p = outcome.Progress;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("summary");
            json.WriteNumber("total", p.Done);
            json.WriteNumber("created", p.Created);
            json.WriteNumber("updated", p.Updated);
            json.WriteNumber("unchanged", p.Unchanged);
            json.WriteNumber("failed", p.Failed);
            json.WriteNumber("durationMs", (long)outcome.Duration.TotalMilliseconds);
            json.WriteEndObject();
            json.WriteStartArray("failures");
            foreach (var failure in outcome.Failures)
            {
                json.WriteStartObject();
                json.WriteNumber(positionName, failure.Number);
                json.WriteString("id", failure.Id);
                json.WriteStartArray("errors");
                foreach (var error in failure.Errors)
                {
                    json.WriteStartObject();
                    json.WriteString("path", error.Path);
                    json.WriteString("code", error.Code);
                    json.WriteString("message", error.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
