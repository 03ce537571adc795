namespace Theodore.Adapters.Native.Backups;

/// <summary>A file of a backup, relative to its index's directory, with the size and lowercase hex SHA-256 it was written with.</summary>
internal sealed record BackupManifestFile(string Name, long Bytes, string Sha256);
