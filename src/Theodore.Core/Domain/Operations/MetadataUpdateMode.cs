namespace Theodore.Core.Domain.Operations;

/// <summary>How <see cref="RecordOperationKind.UpdateMetadata"/> combines the new metadata with the stored one.</summary>
public enum MetadataUpdateMode
{
    /// <summary>The given fields replace the same fields; the other stored fields stay.</summary>
    Merge,

    /// <summary>The given metadata replaces the stored metadata whole.</summary>
    Replace,
}
