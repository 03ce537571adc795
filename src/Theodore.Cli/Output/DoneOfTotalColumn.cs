using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Theodore.Cli.Output;

/// <summary>"1,234/10,000": items done out of the total.</summary>
internal sealed class DoneOfTotalColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new Text(
            ((long)task.Value).ToString("N0", CultureInfo.InvariantCulture) + "/" + ((long)task.MaxValue).ToString("N0", CultureInfo.InvariantCulture));
    }
}
