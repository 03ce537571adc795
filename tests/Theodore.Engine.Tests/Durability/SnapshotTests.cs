using System.Buffers.Binary;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Durability;

public sealed class SnapshotTests
{
    private const string Path = "/data/snapshot-00000000000000000042.bin";

    private static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static CrashSimFileSystem WriteSample(byte[] vectors)
    {
        var fs = new CrashSimFileSystem(1);
        fs.CreateDirectory("/data");
        using var writer = SnapshotWriter.Create(fs, Path, 42, "dim=384"u8);
        writer.WriteSection("ids", Bytes(100, 1));
        writer.WriteSection("empty", []);
        using (var stream = writer.BeginSection("vectors", vectors.Length))
        {
            for (var offset = 0; offset < vectors.Length; offset += 100_000)
            {
                stream.Write(vectors, offset, Math.Min(100_000, vectors.Length - offset));
            }
        }

        writer.Commit();
        return fs;
    }

    [Fact]
    public void Commit_then_open_gives_back_header_lsn_and_every_section_byte_equal()
    {
        var vectors = Bytes((2 * 1024 * 1024) + 12345, 2);
        var fs = WriteSample(vectors).SimulatePowerLoss();

        using var reader = SnapshotReader.Open(fs, Path);

        Assert.Equal(42, reader.CheckpointLsn);
        Assert.Equal(1, reader.FormatVersion);
        Assert.Equal("dim=384"u8.ToArray(), reader.UserHeader.ToArray());
        Assert.Equal(["ids", "empty", "vectors"], reader.Sections.Select(s => s.Name), StringComparer.Ordinal);
        Assert.Equal(Bytes(100, 1), reader.ReadSection("ids"));
        Assert.Empty(reader.ReadSection("empty"));
        using var stream = reader.OpenSection("vectors");
        var copy = new byte[vectors.Length];
        var position = 0;
        int read;
        while ((read = stream.Read(copy, position, Math.Min(70_000, copy.Length - position))) > 0)
        {
            position += read;
        }

        Assert.Equal(vectors.Length, position);
        Assert.Equal(vectors, copy);
    }

    [Fact]
    public void Commit_leaves_no_temporary_file_and_dispose_without_commit_leaves_nothing()
    {
        var fs = WriteSample(Bytes(10, 3));
        Assert.Equal(["snapshot-00000000000000000042.bin"], fs.ListFiles("/data"));

        using (var abandoned = SnapshotWriter.Create(fs, "/data/other.bin", 1, []))
        {
            abandoned.WriteSection("a", Bytes(10, 4));
        }

        Assert.Equal(["snapshot-00000000000000000042.bin"], fs.ListFiles("/data"));
    }

    [Fact]
    public void Commit_with_a_section_shorter_than_declared_is_refused()
    {
        var fs = new CrashSimFileSystem(1);
        fs.CreateDirectory("/data");
        using var writer = SnapshotWriter.Create(fs, Path, 1, []);
        using (var stream = writer.BeginSection("vectors", 10))
        {
            stream.Write(new byte[4]);
        }

        Assert.Throws<InvalidOperationException>(writer.Commit);
    }

    [Fact]
    public void Open_flipped_byte_anywhere_throws_corrupt_data_naming_the_file()
    {
        var image = WriteSample(Bytes(5000, 5)).ReadAllBytes(Path);
        for (var at = 0; at < image.Length; at += 97)
        {
            var copy = (byte[])image.Clone();
            copy[at] ^= 0x40;
            var fs = new CrashSimFileSystem(at);
            fs.WriteAllBytes(Path, copy);

            var error = Record.Exception(() =>
            {
                using var reader = SnapshotReader.Open(fs, Path);
                foreach (var section in reader.Sections)
                {
                    reader.ReadSection(section.Name);
                }
            });

            if (error is not UnsupportedFormatVersionException)
            {
                var corrupt = Assert.IsType<CorruptDataException>(error);
                Assert.Equal(Path, corrupt.FilePath);
            }
        }
    }

    [Fact]
    public void Open_newer_format_version_is_refused_with_a_clear_message()
    {
        var fs = WriteSample(Bytes(10, 6));
        var image = fs.ReadAllBytes(Path);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(8), 2);
        fs.WriteAllBytes(Path, image);

        var error = Assert.Throws<UnsupportedFormatVersionException>(() => SnapshotReader.Open(fs, Path));

        Assert.Equal($"{Path} was written by a newer Theodore, format version 2; this build reads up to 1", error.Message);
    }

    [Fact]
    public void Open_truncated_file_is_corrupt_not_a_crash()
    {
        var image = WriteSample(Bytes(3000, 7)).ReadAllBytes(Path);
        for (var length = 0; length < image.Length; length += 61)
        {
            var fs = new CrashSimFileSystem(length);
            fs.WriteAllBytes(Path, image.AsSpan(0, length));

            Assert.Throws<CorruptDataException>(() => SnapshotReader.Open(fs, Path));
        }
    }
}
