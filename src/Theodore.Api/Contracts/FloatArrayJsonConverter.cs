using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Theodore.Api.Contracts;

/// <summary>
/// Reads vector values so that every non-finite number reaches the validator with its position instead of failing
/// the whole body as malformed: numbers beyond float range become ±Infinity (as a float cast would), and the
/// strings "NaN", "Infinity" and "-Infinity" become those values. Anything else that is not a number is malformed.
/// </summary>
internal sealed class FloatArrayJsonConverter : JsonConverter<float[]>
{
    public override float[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("vector values are an array of numbers");
        }

        // One pooled buffer grown by doubling, then one exact copy: a 384-d vector costs one array, not a list's five.
        var buffer = ArrayPool<float>.Shared.Rent(512);
        var count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<float>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<float>.Shared.Return(buffer);
                    buffer = larger;
                }

                buffer[count] = reader.TokenType switch
                {
                    JsonTokenType.Number => ReadNumber(ref reader),
                    JsonTokenType.String => ReadNamedLiteral(ref reader),
                    _ => throw new JsonException($"vector values are numbers; found {reader.TokenType} at index {count}"),
                };
                count++;
            }

            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var v in value)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    private static float ReadNumber(ref Utf8JsonReader reader)
    {
        // Parsed as a float directly: through a double first, a decimal near the midpoint of two floats can round twice.
        if (!reader.HasValueSequence && FastFloat.TryParse(reader.ValueSpan, out var fast))
        {
            return fast;
        }

        if (reader.TryGetSingle(out var number))
        {
            return number;
        }

        // beyond float range: the reader refuses it, but its sign is all the rules need
        var first = reader.HasValueSequence ? reader.ValueSequence.FirstSpan[0] : reader.ValueSpan[0];
        return first == (byte)'-' ? float.NegativeInfinity : float.PositiveInfinity;
    }

    private static float ReadNamedLiteral(ref Utf8JsonReader reader) => reader.GetString() switch
    {
        "NaN" => float.NaN,
        "Infinity" => float.PositiveInfinity,
        "-Infinity" => float.NegativeInfinity,
        var other => throw new JsonException($"vector values are numbers; found the string '{other}'"),
    };
}
