namespace Theodore.Cli.Import;

/// <summary>
/// A JSON array of companies (.json), split into its elements by <see cref="JsonArraySplitter"/> without holding the
/// file. A file that is not a JSON array fails the count (a <see cref="System.Text.Json.JsonException"/> with the
/// line), before anything is sent.
/// </summary>
internal sealed class JsonArraySource(string path) : ImportSource(path)
{
    public override string PositionName => "item";

    public override IEnumerable<ImportItem> Items()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var splitter = new JsonArraySplitter(stream);
        long number = 0;
        while (splitter.Next() is { } element)
        {
            yield return new ImportItem(++number, element);
        }
    }
}
