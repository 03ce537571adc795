namespace Theodore.Engine.Durability;

/// <summary>A file was written by a newer Theodore in a format this build does not know; it is refused, never guessed at.</summary>
public sealed class UnsupportedFormatVersionException : DurabilityException
{
    public UnsupportedFormatVersionException()
        : base("The file was written in a newer format version.")
    {
    }

    public UnsupportedFormatVersionException(string message)
        : base(message)
    {
    }

    public UnsupportedFormatVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnsupportedFormatVersionException(string filePath, int version, int supportedVersion)
        : base($"{filePath} was written by a newer Theodore, format version {version}; this build reads up to {supportedVersion}")
    {
        FilePath = filePath;
        Version = version;
        SupportedVersion = supportedVersion;
    }

    public string? FilePath { get; }

    public int Version { get; }

    public int SupportedVersion { get; }
}
