using System.Text.Json;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain.Filtering;

/// <summary>
/// The filter's JSON form, Mongo/Pinecone style:
/// <c>{"industry":{"$in":["fintech","insurtech"]},"founded":{"$gte":2015},"$or":[{"country":"DE"},{"country":"FR"}]}</c>.
/// Keys of one object are joined by and; a bare value means <c>$eq</c>. Errors name the path of the offending clause.
/// </summary>
public static class FilterJson
{
    private static readonly Dictionary<string, FilterOperator> Operators = new(StringComparer.Ordinal)
    {
        ["$eq"] = FilterOperator.Eq,
        ["$ne"] = FilterOperator.Ne,
        ["$gt"] = FilterOperator.Gt,
        ["$gte"] = FilterOperator.Gte,
        ["$lt"] = FilterOperator.Lt,
        ["$lte"] = FilterOperator.Lte,
        ["$in"] = FilterOperator.In,
        ["$nin"] = FilterOperator.NotIn,
        ["$contains"] = FilterOperator.Contains,
        ["$starts_with"] = FilterOperator.StartsWith,
        ["$ends_with"] = FilterOperator.EndsWith,
        ["$exists"] = FilterOperator.Exists,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static string OperatorName(FilterOperator op) => op switch
    {
        FilterOperator.Eq => "$eq",
        FilterOperator.Ne => "$ne",
        FilterOperator.Gt => "$gt",
        FilterOperator.Gte => "$gte",
        FilterOperator.Lt => "$lt",
        FilterOperator.Lte => "$lte",
        FilterOperator.In => "$in",
        FilterOperator.NotIn => "$nin",
        FilterOperator.Contains => "$contains",
        FilterOperator.StartsWith => "$starts_with",
        FilterOperator.EndsWith => "$ends_with",
        FilterOperator.Exists => "$exists",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
    };

    public static FilterExpression Parse(string json, string path = "filter")
    {
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return Parse(document.RootElement, path);
        }
        catch (JsonException ex)
        {
            throw new InvalidFilterException(path, $"malformed JSON: {ex.Message}");
        }
    }

    /// <summary>Parses and validates limits; throws <see cref="InvalidFilterException"/> naming the offending path.</summary>
    public static FilterExpression Parse(JsonElement element, string path = "filter")
    {
        var filter = ParseObject(element, path, 0);
        FilterLimits.Validate(filter, path);
        return filter;
    }

    public static string ToJson(FilterExpression filter)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, filter);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the canonical JSON form: every condition explicit (<c>{"f":{"$eq":v}}</c>), groups as <c>$and</c>/<c>$or</c>/<c>$not</c>.</summary>
    public static void Write(Utf8JsonWriter writer, FilterExpression filter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        switch (filter)
        {
            case FieldFilter f:
                writer.WritePropertyName(f.Field);
                writer.WriteStartObject();
                writer.WritePropertyName(OperatorName(f.Operator));
                if (f.Operator is FilterOperator.In or FilterOperator.NotIn)
                {
                    writer.WriteStartArray();
                    foreach (var v in f.Values!)
                    {
                        MetadataJson.WriteValue(writer, v);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    MetadataJson.WriteValue(writer, f.Value!);
                }

                writer.WriteEndObject();
                break;
            case AndFilter a:
                WriteGroup(writer, "$and", a.Clauses);
                break;
            case OrFilter o:
                WriteGroup(writer, "$or", o.Clauses);
                break;
            case NotFilter n:
                writer.WritePropertyName("$not");
                Write(writer, n.Clause);
                break;
            default:
                throw new ArgumentException($"unknown filter node {filter?.GetType().Name}", nameof(filter));
        }

        writer.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter writer, string name, IReadOnlyList<FilterExpression> clauses)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var clause in clauses)
        {
            Write(writer, clause);
        }

        writer.WriteEndArray();
    }

    // nesting is checked while parsing too, so a hostile document never builds a deep tree
    private static FilterExpression ParseObject(JsonElement element, string path, int depth)
    {
        if (depth > FilterLimits.MaxDepth)
        {
            throw new InvalidFilterException(path, $"filters nest at most {FilterLimits.MaxDepth} levels of $and, $or and $not");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFilterException(path, "a filter is a JSON object");
        }

        var clauses = new List<FilterExpression>();
        foreach (var property in element.EnumerateObject())
        {
            var name = PropertyName(property, path);
            var childPath = $"{path}.{name}";
            switch (name)
            {
                case "$and":
                    clauses.Add(new AndFilter(ParseArray(property.Value, childPath, depth + 1)));
                    break;
                case "$or":
                    clauses.Add(new OrFilter(ParseArray(property.Value, childPath, depth + 1)));
                    break;
                case "$not":
                    clauses.Add(new NotFilter(ParseObject(property.Value, childPath, depth + 1)));
                    break;
                case var _ when name.StartsWith('$'):
                    throw new InvalidFilterException(childPath, $"unknown logical operator '{name}'; use $and, $or or $not, or a field name");
                default:
                    clauses.AddRange(ParseField(name, property.Value, childPath));
                    break;
            }
        }

        return clauses.Count switch
        {
            0 => throw new InvalidFilterException(path, "an empty filter object matches nothing specific; leave the filter out instead"),
            1 => clauses[0],
            _ => new AndFilter(clauses),
        };
    }

    private static List<FilterExpression> ParseArray(JsonElement element, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidFilterException(path, "$and and $or take an array of filters");
        }

        var list = new List<FilterExpression>();
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (list.Count >= FilterLimits.MaxClauses)
            {
                throw new InvalidFilterException(path, $"a filter has at most {FilterLimits.MaxClauses} clauses");
            }

            list.Add(ParseObject(item, $"{path}[{i++}]", depth));
        }

        if (list.Count == 0)
        {
            throw new InvalidFilterException(path, "$and and $or need at least one clause");
        }

        return list;
    }

    private static List<FilterExpression> ParseField(string field, JsonElement element, string path)
    {
        if (field.Length > Metadata.MaxKeyLength)
        {
            throw new InvalidFilterException(path, $"field names have at most {Metadata.MaxKeyLength} characters");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return [Checked(new FieldFilter(field, FilterOperator.Eq, ParseScalar(element, path)), path)];
        }

        var conditions = new List<FilterExpression>();
        foreach (var property in element.EnumerateObject())
        {
            var name = PropertyName(property, path);
            var opPath = $"{path}.{name}";
            if (!Operators.TryGetValue(name, out var op))
            {
                throw new InvalidFilterException(opPath, $"unknown operator '{name}'; known: {string.Join(", ", Operators.Keys)}");
            }

            conditions.Add(Checked(
                op is FilterOperator.In or FilterOperator.NotIn
                    ? new FieldFilter(field, op, null, ParseList(property.Value, opPath))
                    : new FieldFilter(field, op, ParseScalar(property.Value, opPath)),
                opPath));
        }

        if (conditions.Count == 0)
        {
            throw new InvalidFilterException(path, "a field condition needs at least one operator");
        }

        return conditions;
    }

    // the operand's type is checked here, where the path still names the operator ("filter.founded.$gte")
    private static FieldFilter Checked(FieldFilter condition, string path)
    {
        FilterLimits.Validate(condition, path);
        return condition;
    }

    private static string PropertyName(JsonProperty property, string path) =>
        JsonText.TryGetName(property, out var name) ? name : throw new InvalidFilterException(path, $"names: {JsonText.InvalidText}");

    private static List<MetadataValue> ParseList(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidFilterException(path, "$in and $nin take an array");
        }

        var length = element.GetArrayLength();
        if (length > FilterLimits.MaxListLength)
        {
            throw new InvalidFilterException(path, $"$in and $nin take at most {FilterLimits.MaxListLength} values, got {length}");
        }

        var list = new List<MetadataValue>(length);
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            list.Add(ParseScalar(item, $"{path}[{i++}]"));
        }

        return list;
    }

    private static MetadataValue ParseScalar(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when JsonText.TryGetString(element, out var text): return MetadataValue.FromString(text);
            case JsonValueKind.String: throw new InvalidFilterException(path, JsonText.InvalidText);
            case JsonValueKind.True: return MetadataValue.True;
            case JsonValueKind.False: return MetadataValue.False;
            case JsonValueKind.Number when element.TryGetDouble(out var d) && double.IsFinite(d): return MetadataValue.FromNumber(d);
            case JsonValueKind.Number: throw new InvalidFilterException(path, "numbers must be finite and within double range");
            case JsonValueKind.Null: throw new InvalidFilterException(path, "null is not a filter value; use {\"$exists\": false} to find records without the field");
            default: throw new InvalidFilterException(path, "expected a string, number or boolean");
        }
    }
}
