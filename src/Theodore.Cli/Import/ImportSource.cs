namespace Theodore.Cli.Import;

/// <summary>A file of companies read as a stream, once to count them and once to send them.</summary>
internal abstract class ImportSource(string path)
{
    public string Path { get; } = path;

    /// <summary>"line" or "item": what <see cref="ImportItem.Number"/> counts.</summary>
    public abstract string PositionName { get; }

    /// <summary>The source for <paramref name="path"/> by its extension, or null when the extension is not one the CLI reads.</summary>
    public static ImportSource? For(string path)
    {
        var extension = System.IO.Path.GetExtension(path);
        return extension.ToUpperInvariant() switch
        {
            ".JSONL" or ".NDJSON" => new JsonLinesSource(path),
            ".JSON" => new JsonArraySource(path),
            _ => null,
        };
    }

    public abstract IEnumerable<ImportItem> Items();

    /// <summary>How many items <see cref="Items"/> will yield; reads the whole file without keeping it.</summary>
    public virtual long Count()
    {
        long count = 0;
        foreach (var _ in Items())
        {
            count++;
        }

        return count;
    }
}
