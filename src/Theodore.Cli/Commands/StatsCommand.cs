using System.CommandLine;
using System.Globalization;
using Theodore.Cli.Output;

namespace Theodore.Cli.Commands;

/// <summary><c>theodore stats</c>: how many companies, and the embedding contract of their index.</summary>
internal static class StatsCommand
{
    public static Command Create(CliSetup setup)
    {
        var command = new Command("stats", "The companies index: count, embedding model, re-embed state");
        setup.SetAction(command, async (context, _, ct) =>
        {
            var response = await context.Client.StatsAsync(ct).ConfigureAwait(false);
            if (context.Json)
            {
                Render.Json(context.Out, response.Json);
                return ExitCodes.Ok;
            }

            var stats = response.Value;
            var table = Render.Table("", "");
            table.ShowHeaders = false;
            Render.Row(table, "index", stats.Index);
            Render.Row(table, "count", Render.Number(stats.Count));
            if (stats.Embedding is { } embedding)
            {
                Render.Row(table, "model", embedding.Model);
                Render.Row(table, "version", embedding.Version);
                Render.Row(table, "dimension", embedding.Dimension.ToString(CultureInfo.InvariantCulture));
                Render.Row(table, "normalized", embedding.Normalize ? "yes" : "no");
            }

            if (stats.Reembed is { } reembed)
            {
                Render.Row(table, "re-embed", $"{reembed.State} {Render.Number(reembed.Processed)}/{Render.Number(reembed.Total)}{(reembed.To?.Model is { } to ? " to " + to : "")}");
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
