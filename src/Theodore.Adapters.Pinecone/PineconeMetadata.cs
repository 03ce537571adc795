using System.Text.Json;
using System.Text.Json.Nodes;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// Theodore's metadata as Pinecone's flat JSON object. Every Theodore value kind is a Pinecone kind (string, number as
/// float64, boolean, list of strings), so writing is exact; Pinecone refuses keys starting with <c>$</c>, so those are
/// refused before anything is sent. Reading a value Theodore cannot hold (null, a nested object, a list of numbers,
/// written by another client) fails loudly rather than dropping the key.
/// </summary>
internal static class PineconeMetadata
{
    public static JsonObject? ToJson(Metadata metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return null;
        }

        var json = new JsonObject();
        foreach (var (key, value) in metadata)
        {
            json[key] = ToJson(value);
        }

        return json;
    }

    public static JsonNode ToJson(MetadataValue value) => value.Kind switch
    {
        MetadataValueKind.String => JsonValue.Create(value.AsString),
        MetadataValueKind.Number => JsonValue.Create(value.AsNumber),
        MetadataValueKind.Boolean => JsonValue.Create(value.AsBoolean),
        MetadataValueKind.StringList => new JsonArray([.. value.AsStringList.Select(s => (JsonNode)JsonValue.Create(s))]),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "unknown metadata kind"),
    };

    /// <summary>Adds a problem for each key Pinecone would refuse (<c>$</c> first) at <paramref name="path"/>.</summary>
    public static void Check(Metadata? metadata, string path, ICollection<RequestError> errors)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var key in metadata.Keys)
        {
            if (key.StartsWith('$'))
            {
                errors.Add(new RequestError($"{path}.{key}", ErrorCodes.InvalidRequest, "Pinecone does not accept metadata keys that start with '$'"));
            }
        }
    }

    public static Metadata FromJson(JsonObject? json, string index, string id)
    {
        if (json is null || json.Count == 0)
        {
            return Metadata.Empty;
        }

        var values = new List<KeyValuePair<string, MetadataValue>>(json.Count);
        foreach (var (key, node) in json)
        {
            values.Add(new(key, FromJson(node, key, index, id)));
        }

        return Metadata.Create(values);
    }

    private static MetadataValue FromJson(JsonNode? node, string key, string index, string id)
    {
        switch (node?.GetValueKind())
        {
            case JsonValueKind.String:
                return MetadataValue.FromString(node.GetValue<string>());
            case JsonValueKind.Number:
                return MetadataValue.FromNumber(node.GetValue<double>());
            case JsonValueKind.True:
                return MetadataValue.True;
            case JsonValueKind.False:
                return MetadataValue.False;
            case JsonValueKind.Array when node.AsArray().All(e => e?.GetValueKind() == JsonValueKind.String):
                return MetadataValue.FromStrings(node.AsArray().Select(e => e!.GetValue<string>()));
            default:
                throw new VectorStorageException(
                    $"Record '{id}' of index '{index}' holds metadata '{key}' of a kind Theodore cannot represent (strings, numbers, booleans and lists of strings only).",
                    ErrorCodes.BackendError)
                {
                    SystemName = PineconeConstants.SystemName,
                    Index = index,
                };
        }
    }
}
