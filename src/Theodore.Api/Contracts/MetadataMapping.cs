using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>Metadata as plain JSON values (string, number, boolean, list of strings) for responses.</summary>
internal static class MetadataMapping
{
    public static Dictionary<string, object> ToJson(Metadata metadata)
    {
        var result = new Dictionary<string, object>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            result[key] = value.Kind switch
            {
                MetadataValueKind.String => value.AsString,
                MetadataValueKind.Number => value.AsNumber,
                MetadataValueKind.Boolean => value.AsBoolean,
                _ => value.AsStringList,
            };
        }

        return result;
    }
}
