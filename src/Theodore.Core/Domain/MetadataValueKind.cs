namespace Theodore.Core.Domain;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The kinds are named after the JSON types they hold.")]
public enum MetadataValueKind
{
    String,
    Number,
    Boolean,
    StringList,
}
