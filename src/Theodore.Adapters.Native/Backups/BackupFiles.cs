using System.Buffers;
using System.Security.Cryptography;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Backups;

/// <summary>Checksums of backup files, read through the durable file system so tests can use a simulated disk.</summary>
internal static class BackupFiles
{
    private const int ChunkSize = 1024 * 1024;

    public static BackupManifestFile Describe(IDurableFileSystem fileSystem, string path)
    {
        var (bytes, sha256) = Hash(fileSystem, path);
        return new BackupManifestFile(Path.GetFileName(path), bytes, sha256);
    }

    /// <summary>Null when the file is there with the recorded size and SHA-256, otherwise what is wrong, naming the file.</summary>
    public static string? Verify(IDurableFileSystem fileSystem, string directory, BackupManifestFile expected)
    {
        var path = Path.Combine(directory, expected.Name);
        if (!fileSystem.FileExists(path))
        {
            return $"the file {path} is missing";
        }

        var (bytes, sha256) = Hash(fileSystem, path);
        if (bytes != expected.Bytes)
        {
            return $"the file {path} is {bytes} bytes long, but the manifest says {expected.Bytes}";
        }

        return string.Equals(sha256, expected.Sha256, StringComparison.Ordinal)
            ? null
            : $"the file {path} does not match the SHA-256 in the manifest";
    }

    private static (long Bytes, string Sha256) Hash(IDurableFileSystem fileSystem, string path)
    {
        using var file = fileSystem.OpenFile(path, DurableFileMode.OpenRead);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long offset = 0;
            int read;
            while ((read = file.Read(offset, buffer.AsSpan(0, ChunkSize))) > 0)
            {
                hash.AppendData(buffer, 0, read);
                offset += read;
            }

            return (offset, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
