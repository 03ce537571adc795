using System.CommandLine;
using System.Globalization;
using Theodore.Cli.Output;

namespace Theodore.Cli.Commands;

/// <summary><c>theodore get ID</c>: one company, field by field.</summary>
internal static class GetCommand
{
    public static Command Create(CliSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "The company's id" };
        var command = new Command("get", "Show one company") { id };
        setup.SetAction(command, async (context, parse, ct) =>
        {
            var response = await context.Client.GetAsync(parse.GetRequiredValue(id), ct).ConfigureAwait(false);
            if (context.Json)
            {
                Render.Json(context.Out, response.Json);
                return ExitCodes.Ok;
            }

            var company = response.Value;
            var table = Render.Table("field", "value");
            Render.Row(table, "id", company.Id);
            Render.Row(table, "name", company.Name);
            Render.Row(table, "description", company.Description);
            Render.Row(table, "industry", company.Industry);
            Render.Row(table, "size", company.Size);
            Render.Row(table, "founded", company.FoundedYear?.ToString(CultureInfo.InvariantCulture));
            Render.Row(table, "country", company.Country);
            Render.Row(table, "website", company.Website);
            Render.Row(table, "tags", company.Tags is null ? null : string.Join(", ", company.Tags));
            foreach (var (name, value) in company.CustomFields ?? new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal))
            {
                Render.Row(table, "custom." + name, Render.CustomValue(value));
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
