using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Theodore.Cli.Output;

/// <summary>Items per second, from the task's recent progress ("-" before there is any).</summary>
internal sealed class RateColumn(string unit) : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        var speed = task.Speed;
        return new Text(speed is { } s ? s.ToString("N0", CultureInfo.InvariantCulture) + " " + unit : "- " + unit);
    }
}
