using System.Text;
using Spectre.Console;

namespace Theodore.Cli.Output;

/// <summary>A <see cref="TextWriter"/> onto an <see cref="IAnsiConsole"/>, for the parser's help and errors.</summary>
internal sealed class ConsoleTextWriter(IAnsiConsole console) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            console.Profile.Out.Writer.Write(value);
        }
    }

    public override void WriteLine(string? value) => Write(value + Environment.NewLine);
}
