namespace Theodore.Adapters.Native.Backups;

/// <summary>One index in a backup manifest: its definition (for people; restore reads the snapshot's own), LSN and files.</summary>
internal sealed record BackupManifestIndex(string Name, BackupManifestDefinition Definition, long Lsn, long Records, IReadOnlyList<BackupManifestFile> Files)
{
    /// <summary>The index's state at <see cref="Lsn"/>, in the engine's snapshot format, inside the index's directory of the backup.</summary>
    public const string SnapshotFileName = "snapshot.bin";
}
