using System.Text;

namespace Theodore.Cli.Import;

/// <summary>
/// One company per line (.jsonl, .ndjson). Every non-blank line is sent as it is, JSON or not, so the server reports a
/// bad line instead of the CLI dropping it. Blank lines (spaces, tabs, a CR) carry nothing and are skipped, as the
/// server skips them, so the server's item indexes and this file's non-blank lines stay in step.
/// </summary>
internal sealed class JsonLinesSource(string path) : ImportSource(path)
{
    public override string PositionName => "line";

    public override IEnumerable<ImportItem> Items()
    {
        using var reader = new StreamReader(Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (!IsBlank(line))
            {
                yield return new ImportItem(number, Encoding.UTF8.GetBytes(line));
            }
        }
    }

    public override long Count()
    {
        using var reader = new StreamReader(Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        long count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (!IsBlank(line))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsBlank(string line) => line.AsSpan().Trim(" \t\r").IsEmpty;
}
