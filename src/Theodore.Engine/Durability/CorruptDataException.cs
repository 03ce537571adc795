namespace Theodore.Engine.Durability;

/// <summary>
/// A durable file holds bytes that a crash cannot explain: a bad record in the middle of the log, a gap between
/// segments, a damaged header or snapshot. The message names the file and the byte offset.
/// </summary>
public sealed class CorruptDataException : DurabilityException
{
    public CorruptDataException()
        : base("A durable file is corrupt.")
    {
    }

    public CorruptDataException(string message)
        : base(message)
    {
    }

    public CorruptDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CorruptDataException(string filePath, long offset, string problem)
        : base($"{filePath} is corrupt at byte offset {offset}: {problem}")
    {
        FilePath = filePath;
        Offset = offset;
    }

    public string? FilePath { get; }

    public long Offset { get; }
}
