using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;
using Theodore.Cli.Client;

namespace Theodore.Cli.Output;

/// <summary>How results and errors look on the console: tables of plain text (never markup from the data), and raw JSON.</summary>
internal static class Render
{
    public static string Score(double score) => score.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan duration) =>
        duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : duration.ToString(duration.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    public static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    public static void Row(Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? "")).ToArray());

    /// <summary>The JSON exactly as the API sent it, unwrapped, on the console's own writer.</summary>
    public static void Json(IAnsiConsole console, string json) => console.Profile.Out.Writer.WriteLine(json);

    /// <summary>
    /// One line of text. Without ANSI (redirected, a test console) it is written as it is: Spectre would wrap it at
    /// the profile's width, 80 columns when redirected, and a log line should stay one line.
    /// </summary>
    public static void Line(IAnsiConsole console, string text, Style? style = null)
    {
        if (console.Profile.Capabilities.Ansi)
        {
            console.Write(new Paragraph(text + "\n", style ?? Style.Plain));
        }
        else
        {
            console.Profile.Out.Writer.WriteLine(text);
        }
    }

    public static void Error(IAnsiConsole console, string text) => Line(console, text, new Style(Color.Red));

    public static string Shared(SharedAttributes? shared)
    {
        if (shared is null)
        {
            return "";
        }

        var parts = new List<string>();
        Add("industry", shared.Industry);
        Add("country", shared.Country);
        Add("size", shared.Size);
        if (shared.Tags is { Count: > 0 } tags)
        {
            parts.Add("tags=" + string.Join(',', tags));
        }

        return string.Join("; ", parts);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + value);
            }
        }
    }

    /// <summary>An error status: its title, status and code, its detail, and every listed problem.</summary>
    public static void Problem(IAnsiConsole console, TheodoreApiException error)
    {
        var problem = error.Problem;
        var code = problem?.Code ?? error.Status.ToString();
        Error(console, $"error: {problem?.Title ?? "the API answered with an error"} ({(int)error.Status} {code})");
        if (problem is null)
        {
            if (!string.IsNullOrWhiteSpace(error.Body))
            {
                Line(console, "  " + error.Body);
            }

            return;
        }

        var errors = problem.Errors ?? [];
        if (!string.IsNullOrEmpty(problem.Detail) && errors.Count == 0)
        {
            Line(console, "  " + problem.Detail);
        }

        foreach (var e in errors)
        {
            Line(console, $"  - {(string.IsNullOrEmpty(e.Path) ? "" : e.Path + ": ")}{e.Message} ({e.Code})");
        }
    }

    public static string CustomValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
}
