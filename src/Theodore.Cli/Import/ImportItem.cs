namespace Theodore.Cli.Import;

/// <summary>One company as it stands in the file: its position (a line number, or an item number in an array) and its bytes on one line.</summary>
internal sealed record ImportItem(long Number, byte[] Json);
