using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Snapshots;

/// <summary>Writes indexes into an in-memory snapshot file and reads them back.</summary>
internal static class SnapshotFiles
{
    public const string Directory = "/data";
    public const string Path = "/data/snapshot.bin";
    public const string Prefix = "index/";

    public static CrashSimFileSystem Write(params VectorIndex[] indexes)
    {
        var fs = new CrashSimFileSystem(1);
        fs.CreateDirectory(Directory);
        using var writer = SnapshotWriter.Create(fs, Path, 7, []);
        for (int i = 0; i < indexes.Length; i++)
        {
            indexes[i].WriteTo(writer, PrefixOf(i));
        }

        writer.Commit();
        return fs;
    }

    public static VectorIndex Read(CrashSimFileSystem fs, int which = 0)
    {
        using var reader = SnapshotReader.Open(fs, Path);
        return VectorIndex.ReadFrom(reader, PrefixOf(which));
    }

    public static VectorIndex RoundTrip(VectorIndex index) => Read(Write(index));

    public static string PrefixOf(int i) => i == 0 ? Prefix : $"index{i}/";
}
