using Theodore.Cli.Client;

namespace Theodore.Cli.Import;

/// <summary>A company the server refused: where it is in the file, its id when it had one, and every problem found.</summary>
internal sealed record ImportFailure(long Number, string? Id, IReadOnlyList<ImportItemError> Errors);
