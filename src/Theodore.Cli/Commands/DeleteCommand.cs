using System.CommandLine;
using System.Text.Json;
using Theodore.Cli.Client;
using Theodore.Cli.Output;

namespace Theodore.Cli.Commands;

/// <summary><c>theodore delete ID</c>.</summary>
internal static class DeleteCommand
{
    public static Command Create(CliSetup setup)
    {
        var id = new Argument<string>("ID") { Description = "The company's id" };
        var command = new Command("delete", "Delete one company") { id };
        setup.SetAction(command, async (context, parse, ct) =>
        {
            var value = parse.GetRequiredValue(id);
            await context.Client.DeleteAsync(value, ct).ConfigureAwait(false);
            if (context.Json)
            {
                // The API answers 204 without a body; this says the same for a script.
                Render.Json(context.Out, "{\"id\":" + JsonSerializer.Serialize(value, CliJsonContext.Default.String) + ",\"deleted\":true}");
            }
            else
            {
                Render.Line(context.Out, $"deleted {value}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
