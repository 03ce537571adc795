namespace Theodore.Engine.Durability;

/// <summary>
/// A file addressed by offset. Nothing written is durable until <see cref="Flush"/> returns; a failed flush leaves
/// the unflushed data in an unknown state and must be treated as fatal by the caller.
/// </summary>
public interface IDurableFile : IDisposable
{
    string Path { get; }

    long Length { get; }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/>; fewer only at the end of the file.</summary>
    int Read(long offset, Span<byte> destination);

    /// <summary>Writes all of <paramref name="source"/> at <paramref name="offset"/>, extending the file when needed.</summary>
    void Write(long offset, ReadOnlySpan<byte> source);

    /// <summary>Forces the file's data and size to stable storage (fdatasync / FlushFileBuffers).</summary>
    void Flush();

    /// <summary>Truncates or extends the file. Durable after the next <see cref="Flush"/>.</summary>
    void SetLength(long length);
}
