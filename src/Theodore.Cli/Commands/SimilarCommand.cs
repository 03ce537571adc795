using System.CommandLine;
using System.Globalization;
using Theodore.Cli.Client;
using Theodore.Cli.Output;

namespace Theodore.Cli.Commands;

/// <summary><c>theodore similar ID</c>: the companies most like a stored one, with what they share.</summary>
internal static class SimilarCommand
{
    public static Command Create(CliSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "The company's id" };
        var topK = Options.TopK();
        var industry = new Option<string?>("--industry") { Description = "Only companies in this industry" };
        var country = new Option<string?>("--country") { Description = "Only companies in this country (ISO 3166-1 alpha-2)" };
        var size = new Option<string?>("--size") { Description = "Only companies of this size (micro, small, medium, large, enterprise)" };
        var foundedFrom = new Option<int?>("--founded-from") { Description = "Only companies founded in or after this year" };
        var foundedTo = new Option<int?>("--founded-to") { Description = "Only companies founded in or before this year" };
        var tags = new Option<string[]>("--tag") { Description = "Only companies with this tag (repeat for more)", Arity = ArgumentArity.ZeroOrMore };
        var minScore = Options.MinScore();
        var command = new Command("similar", "Companies like the one with this id") { id, topK, industry, country, size, foundedFrom, foundedTo, tags, minScore };
        setup.SetAction(command, async (context, parse, ct) =>
        {
            var query = new SimilarQuery(
                parse.GetValue(topK),
                parse.GetValue(industry),
                parse.GetValue(country),
                parse.GetValue(size),
                parse.GetValue(foundedFrom),
                parse.GetValue(foundedTo),
                parse.GetValue(tags),
                parse.GetValue(minScore));
            var response = await context.Client.SimilarAsync(parse.GetRequiredValue(id), query, ct).ConfigureAwait(false);
            if (context.Json)
            {
                Render.Json(context.Out, response.Json);
                return ExitCodes.Ok;
            }

            var result = response.Value;
            Render.Line(context.Out, $"Companies like {result.Company.Name ?? result.Company.Id} ({result.Company.Id}):");
            var table = Render.Table("rank", "score", "id", "name", "industry", "country", "shared");
            var rank = 0;
            foreach (var match in result.Matches)
            {
                Render.Row(
                    table,
                    (++rank).ToString(CultureInfo.InvariantCulture),
                    Render.Score(match.Score),
                    match.Company.Id,
                    match.Company.Name,
                    match.Company.Industry,
                    match.Company.Country,
                    Render.Shared(match.Shared));
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
