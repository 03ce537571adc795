using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Theodore.Cli.Client;
using Theodore.Cli.Output;

namespace Theodore.Cli.Commands;

/// <summary><c>theodore search "TEXT"</c>: the companies whose description is closest to a text.</summary>
internal static class SearchCommand
{
    public static Command Create(CliSetup setup)
    {
        var text = new Argument<string>("TEXT") { Description = "What the companies do, in words" };
        var topK = Options.TopK();
        var filter = new Option<string?>("--filter") { Description = """A filter in the vector API's grammar, as JSON, e.g. '{"country":"DE"}'""" };
        var minScore = Options.MinScore();
        var command = new Command("search", "Companies that match a text") { text, topK, filter, minScore };
        setup.SetAction(command, async (context, parse, ct) =>
        {
            var request = new SearchRequest(parse.GetRequiredValue(text), parse.GetValue(topK), ParseFilter(parse.GetValue(filter)), parse.GetValue(minScore));
            var response = await context.Client.SearchAsync(request, ct).ConfigureAwait(false);
            if (context.Json)
            {
                Render.Json(context.Out, response.Json);
                return ExitCodes.Ok;
            }

            var table = Render.Table("rank", "score", "id", "name", "industry", "country");
            var rank = 0;
            foreach (var match in response.Value.Matches)
            {
                Render.Row(
                    table,
                    (++rank).ToString(CultureInfo.InvariantCulture),
                    Render.Score(match.Score),
                    match.Company.Id,
                    match.Company.Name,
                    match.Company.Industry,
                    match.Company.Country);
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static JsonElement? ParseFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(filter);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new CliUsageException("--filter must be a JSON object, e.g. '{\"country\":\"DE\"}'");
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"--filter is not JSON: {e.Message}");
        }
    }
}
