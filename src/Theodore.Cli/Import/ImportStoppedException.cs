namespace Theodore.Cli.Import;

/// <summary>The server answered a chunk but failed partway through it; <see cref="Progress"/> counts that chunk.</summary>
internal sealed class ImportStoppedException(ImportProgress progress, string message) : Exception(message)
{
    public ImportProgress Progress { get; } = progress;
}
