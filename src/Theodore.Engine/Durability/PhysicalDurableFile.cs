using Microsoft.Win32.SafeHandles;

namespace Theodore.Engine.Durability;

internal sealed class PhysicalDurableFile(string path, SafeFileHandle handle) : IDurableFile
{
    public string Path { get; } = path;

    public long Length => RandomAccess.GetLength(handle);

    public int Read(long offset, Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    public void Write(long offset, ReadOnlySpan<byte> source) => RandomAccess.Write(handle, source, offset);

    public void Flush() => RandomAccess.FlushToDisk(handle);

    public void SetLength(long length) => RandomAccess.SetLength(handle, length);

    public void Dispose() => handle.Dispose();
}
