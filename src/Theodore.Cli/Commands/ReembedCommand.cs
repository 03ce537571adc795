using System.CommandLine;
using Spectre.Console;
using Theodore.Cli.Client;
using Theodore.Cli.Output;

namespace Theodore.Cli.Commands;

/// <summary>
/// <c>theodore reembed --provider P --model M</c>: starts re-embedding every company with another generator, then
/// follows it (GET every poll interval) until it completes (exit 0) or fails (exit 1); <c>--no-wait</c> returns at once.
/// </summary>
internal static class ReembedCommand
{
    public static Command Create(CliSetup setup)
    {
        var provider = new Option<string>("--provider") { Description = "The embedding provider, e.g. Local", Required = true };
        var model = new Option<string?>("--model") { Description = "The provider's model, e.g. ArcticXs" };
        var noWait = new Option<bool>("--no-wait") { Description = "Start it and return without following it" };
        var command = new Command("reembed", "Re-embed every company with another model") { provider, model, noWait };
        setup.SetAction(command, async (context, parse, ct) =>
        {
            var started = await context.Client.StartReembedAsync(new ReembedRequest(parse.GetRequiredValue(provider), parse.GetValue(model)), ct).ConfigureAwait(false);
            if (parse.GetValue(noWait) || IsFinished(started.Value))
            {
                return Finish(context, started);
            }

            var last = started;
            if (context.Json)
            {
                while (!IsFinished(last.Value))
                {
                    await Task.Delay(context.PollInterval, ct).ConfigureAwait(false);
                    last = await context.Client.ReembedStatusAsync(ct).ConfigureAwait(false);
                }

                return Finish(context, last);
            }

            last = await context.Out.Progress()
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
                    var task = progress.AddTask("re-embedding", maxValue: Math.Max(1, started.Value.Total));
                    var status = started;
                    while (true)
                    {
                        task.MaxValue = Math.Max(1, status.Value.Total);
                        task.Value = status.Value.Processed;
                        if (IsFinished(status.Value))
                        {
                            return status;
                        }

                        await Task.Delay(context.PollInterval, ct).ConfigureAwait(false);
                        status = await context.Client.ReembedStatusAsync(ct).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
            return Finish(context, last);
        });
        return command;
    }

    private static bool IsFinished(ReembedStatus status) => status.State is "completed" or "failed" or "none";

    private static int Finish(CliContext context, ApiResponse<ReembedStatus> response)
    {
        var status = response.Value;
        if (context.Json)
        {
            Render.Json(context.Out, response.Json);
        }
        else
        {
            var to = status.To is { } contract ? $" to {contract.Model} {contract.Version} ({contract.Dimension} dimensions)" : "";
            var line = $"re-embed {status.State}{to}: {Render.Number(status.Processed)}/{Render.Number(status.Total)} companies";
            if (status.State == "failed")
            {
                Render.Error(context.Error, line + (status.Error is null ? "" : ": " + status.Error));
            }
            else
            {
                Render.Line(context.Out, line);
            }
        }

        return status.State is "failed" or "none" ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
