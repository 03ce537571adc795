using System.Text.Json;
using System.Text.Json.Serialization;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Backups;

/// <summary>
/// <c>manifest.json</c> of a backup: what it holds and, for every file, its size and SHA-256, so a restore can prove
/// the files are the ones written. It is written last, after every file is durable, inside the backup's temporary
/// directory; the rename of that directory publishes the backup.
/// </summary>
internal sealed record BackupManifest(int FormatVersion, string Id, DateTimeOffset CreatedAt, string TheodoreVersion, IReadOnlyList<BackupManifestIndex> Indexes)
{
    public const string FileName = "manifest.json";
    public const int CurrentFormatVersion = 1;

    // A manifest lists files of a handful of indexes; anything near this size was not written by us.
    private const int MaxLength = 16 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public long TotalBytes => Indexes.Sum(static i => i.Files.Sum(static f => f.Bytes));

    public BackupInfo ToInfo(BackupId id) =>
        new(id, CreatedAt, [.. Indexes.Select(static i => new BackupIndexInfo(IndexName.Parse(i.Name), i.Lsn, i.Records, i.Files.Sum(static f => f.Bytes)))], TotalBytes);

    public void Write(IDurableFileSystem fileSystem, string directory)
    {
        using var file = fileSystem.OpenFile(Path.Combine(directory, FileName), DurableFileMode.Create);
        file.Write(0, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        file.Flush();
    }

    /// <summary>Reads and checks the manifest of backup <paramref name="id"/>; the problem says why it cannot be used.</summary>
    public static BackupManifest? TryRead(IDurableFileSystem fileSystem, string directory, BackupId id, out string? problem)
    {
        var path = Path.Combine(directory, FileName);
        BackupManifest? manifest;
        try
        {
            var contents = AtomicFile.ReadAllBytes(fileSystem, path, MaxLength);
            if (contents is null)
            {
                problem = $"the manifest {path} is missing";
                return null;
            }

            manifest = JsonSerializer.Deserialize<BackupManifest>(contents, Json);
        }
        catch (Exception ex) when (ex is JsonException or CorruptDataException or IOException)
        {
            problem = $"the manifest {path} cannot be read: {ex.Message}";
            return null;
        }

        problem = manifest is null ? "the manifest is empty" : manifest.Check(id);
        return problem is null ? manifest : null;
    }

    private string? Check(BackupId id)
    {
        if (FormatVersion > CurrentFormatVersion)
        {
            return $"the manifest has format version {FormatVersion}, newer than this build reads ({CurrentFormatVersion})";
        }

        if (FormatVersion != CurrentFormatVersion || !string.Equals(Id, id.Value, StringComparison.Ordinal) || Indexes is null)
        {
            return $"the manifest does not describe backup {id.Value}";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in Indexes)
        {
            if (index is null || !IndexName.TryParse(index.Name, out _, out _) || !names.Add(index.Name) || index.Lsn < 0 || index.Records < 0 || index.Files is null)
            {
                return "the manifest lists an index without a valid, unique name, LSN and file list";
            }

            if (index.Definition is null || !index.Files.Any(static f => f is not null && f.Name == BackupManifestIndex.SnapshotFileName))
            {
                return $"the manifest entry of index '{index.Name}' has no definition or no {BackupManifestIndex.SnapshotFileName}";
            }

            foreach (var file in index.Files)
            {
                if (file is null || !IsPlainFileName(file.Name) || file.Bytes < 0 || file.Sha256 is not { Length: 64 })
                {
                    return $"the manifest entry of index '{index.Name}' lists a file without a plain name, size and SHA-256";
                }
            }
        }

        return null;
    }

    // File names come from a file on disk: never let one point outside its index's directory.
    private static bool IsPlainFileName(string? name) =>
        !string.IsNullOrEmpty(name) && name is not ("." or "..") && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
