using System.Text;
using System.Text.Json;
using Qdrant.Client.Grpc;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>A payload as the plain JSON Qdrant stores it (not protobuf's JSON mapping of the Value messages).</summary>
internal static class PayloadJson
{
    public static string Format(IEnumerable<KeyValuePair<string, Value>> payload)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteObject(writer, payload);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, Value>> fields)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in fields)
        {
            writer.WritePropertyName(key);
            Write(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, Value value)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StringValue: writer.WriteStringValue(value.StringValue); break;
            case Value.KindOneofCase.IntegerValue: writer.WriteNumberValue(value.IntegerValue); break;
            case Value.KindOneofCase.DoubleValue: writer.WriteNumberValue(value.DoubleValue); break;
            case Value.KindOneofCase.BoolValue: writer.WriteBooleanValue(value.BoolValue); break;
            case Value.KindOneofCase.StructValue: WriteObject(writer, value.StructValue.Fields); break;
            case Value.KindOneofCase.ListValue:
                writer.WriteStartArray();
                foreach (var item in value.ListValue.Values)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteNullValue(); break;
        }
    }
}
