using System.Text.Json;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>Metadata to and from its JSON object form, with errors that name the offending key.</summary>
public static class MetadataJson
{
    /// <summary>Reads a JSON object into metadata, adding every problem to <paramref name="errors"/>; null when there were any.</summary>
    public static Metadata? Read(JsonElement element, string path, ICollection<RequestError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return Metadata.Empty;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, "metadata must be a JSON object"));
            return null;
        }

        var before = errors.Count;
        var values = new List<KeyValuePair<string, MetadataValue>>();
        foreach (var property in element.EnumerateObject())
        {
            if (!JsonText.TryGetName(property, out var key))
            {
                errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, $"metadata keys: {JsonText.InvalidText}"));
                continue;
            }

            var value = ReadValue(property.Value, $"{path}.{key}", errors);
            if (value is not null)
            {
                values.Add(new(key, value));
            }
        }

        return errors.Count > before ? null : Metadata.TryCreate(values, path, errors);
    }

    public static Metadata Read(JsonElement element, string path = "metadata")
    {
        var errors = new List<RequestError>();
        return Read(element, path, errors) ?? throw new InvalidRequestException(errors);
    }

    public static void Write(Utf8JsonWriter writer, Metadata metadata)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metadata);
        writer.WriteStartObject();
        foreach (var (key, value) in metadata)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, MetadataValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Kind)
        {
            case MetadataValueKind.String: writer.WriteStringValue(value.AsString); break;
            case MetadataValueKind.Number: writer.WriteNumberValue(value.AsNumber); break;
            case MetadataValueKind.Boolean: writer.WriteBooleanValue(value.AsBoolean); break;
            default:
                writer.WriteStartArray();
                foreach (var s in value.AsStringList)
                {
                    writer.WriteStringValue(s);
                }

                writer.WriteEndArray();
                break;
        }
    }

    public static string ToJson(Metadata metadata)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, metadata);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The size of the compact UTF-8 JSON form, the measure of the 40 KB limit.</summary>
    public static long SerializedSize(Metadata metadata)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, metadata);
        }

        return stream.Length;
    }

    internal static MetadataValue? ReadValue(JsonElement element, string path, ICollection<RequestError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (JsonText.TryGetString(element, out var text))
                {
                    return MetadataValue.FromString(text);
                }

                errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, JsonText.InvalidText));
                return null;
            case JsonValueKind.True:
                return MetadataValue.True;
            case JsonValueKind.False:
                return MetadataValue.False;
            case JsonValueKind.Number:
                if (element.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return MetadataValue.FromNumber(number);
                }

                errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, "numbers must be finite and within double range"));
                return null;
            case JsonValueKind.Array:
                var list = new List<string>();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        errors.Add(new RequestError($"{path}[{i}]", ErrorCodes.InvalidRequest, "metadata lists hold strings only"));
                        return null;
                    }

                    if (!JsonText.TryGetString(item, out var itemText))
                    {
                        errors.Add(new RequestError($"{path}[{i}]", ErrorCodes.InvalidRequest, JsonText.InvalidText));
                        return null;
                    }

                    list.Add(itemText);
                    i++;
                }

                return MetadataValue.FromStrings(list);
            case JsonValueKind.Null:
                errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, "metadata values must not be null; leave the key out instead"));
                return null;
            default:
                errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, "metadata values are strings, numbers, booleans or lists of strings; nested objects are not allowed"));
                return null;
        }
    }
}
