using System.Text.Json;
using System.Text.Json.Nodes;

namespace Theodore.Pinecone.Fake;

/// <summary>
/// Pinecone's metadata filter as the docs describe it ("Filter by metadata"): <c>$eq $ne</c> take a string, number or
/// boolean; <c>$gt $gte $lt $lte</c> a number; <c>$in $nin</c> an array of strings or numbers; <c>$exists</c> a
/// boolean; <c>$and $or</c> arrays of filters; several fields at one level are and-ed; <c>{"f": v}</c> means
/// <c>$eq</c>. On a list field a condition holds when any element satisfies it; <c>$ne</c>/<c>$nin</c> need that no
/// element matches. Every operator but <c>$exists</c> needs the field to be present (a record without it never
/// matches <c>$ne</c>), and comparisons never cross types. Anything else is a 400.
/// </summary>
internal static class FakeFilter
{
    public static bool Matches(JsonObject filter, JsonObject? metadata)
    {
        foreach (var (key, condition) in filter)
        {
            var holds = key switch
            {
                "$and" => Clauses(condition, key).All(c => Matches(c, metadata)),
                "$or" => Clauses(condition, key).Any(c => Matches(c, metadata)),
                _ when key.StartsWith('$') => throw new FakeBadRequest($"unsupported filter operator {key} at the top level"),
                _ => Field(metadata?[key], metadata?.ContainsKey(key) == true, condition),
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks the whole filter's shape (so a bad filter is refused even on an empty namespace).</summary>
    public static void Validate(JsonObject filter) => _ = Matches(filter, null);

    private static List<JsonObject> Clauses(JsonNode? node, string op)
    {
        if (node is not JsonArray array || array.Count == 0)
        {
            throw new FakeBadRequest($"{op} takes a non-empty array of filters");
        }

        return array.Select(c => c as JsonObject ?? throw new FakeBadRequest($"{op} takes filter objects")).ToList();
    }

    private static bool Field(JsonNode? field, bool present, JsonNode? condition)
    {
        if (condition is not JsonObject operators || !operators.Any(p => p.Key.StartsWith('$')))
        {
            CheckScalar(condition, "$eq");
            return present && AnyEqual(field, condition);
        }

        var holds = true;
        foreach (var (op, value) in operators)
        {
            holds &= op switch
            {
                "$eq" => CheckScalar(value, op) && present && AnyEqual(field, value),
                "$ne" => CheckScalar(value, op) && present && !AnyEqual(field, value),
                "$gt" => Compare(field, value, op, static c => c > 0),
                "$gte" => Compare(field, value, op, static c => c >= 0),
                "$lt" => Compare(field, value, op, static c => c < 0),
                "$lte" => Compare(field, value, op, static c => c <= 0),
                "$in" => present && List(value, op).Any(v => AnyEqual(field, v)),
                "$nin" => present && !List(value, op).Any(v => AnyEqual(field, v)),
                "$exists" => value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    ? present == value.GetValue<bool>()
                    : throw new FakeBadRequest("$exists takes a boolean"),
                _ => throw new FakeBadRequest($"unsupported filter operator {op}"),
            };
        }

        return holds;
    }

    private static bool CheckScalar(JsonNode? value, string op) =>
        value?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? true
            : throw new FakeBadRequest($"{op} takes a string, number or boolean");

    private static List<JsonNode> List(JsonNode? value, string op)
    {
        if (value is not JsonArray array || array.Count == 0 || array.Any(v => v?.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number)))
        {
            throw new FakeBadRequest($"{op} takes a non-empty array of strings or numbers");
        }

        return [.. array.Select(v => v!)];
    }

    private static bool Compare(JsonNode? field, JsonNode? value, string op, Func<int, bool> test)
    {
        if (value?.GetValueKind() is not JsonValueKind.Number)
        {
            throw new FakeBadRequest($"{op} takes a number");
        }

        return field?.GetValueKind() is JsonValueKind.Number && test(field.GetValue<double>().CompareTo(value.GetValue<double>()));
    }

    private static bool AnyEqual(JsonNode? field, JsonNode? value) =>
        field is JsonArray list ? list.Any(e => ScalarEqual(e, value)) : ScalarEqual(field, value);

    private static bool ScalarEqual(JsonNode? a, JsonNode? b)
    {
        var kind = a?.GetValueKind();
        if (a is null || b is null || kind != b.GetValueKind())
        {
            return false;
        }

        return kind switch
        {
            JsonValueKind.String => string.Equals(a.GetValue<string>(), b.GetValue<string>(), StringComparison.Ordinal),
            JsonValueKind.Number => a.GetValue<double>().Equals(b.GetValue<double>()),
            JsonValueKind.True or JsonValueKind.False => true,
            _ => false,
        };
    }
}

/// <summary>A request the fake refuses with 400 INVALID_ARGUMENT and this message.</summary>
internal sealed class FakeBadRequest(string message) : Exception(message);
