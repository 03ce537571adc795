using System.Text.Json.Nodes;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// Theodore's filters in Pinecone's metadata DSL (<c>$eq $ne $gt $gte $lt $lte $in $nin $exists $and $or</c>), so that
/// Pinecone matches exactly the records <see cref="FilterEvaluator"/> matches:
/// <list type="bullet">
/// <item>ne / not_in match records without the field in Theodore; Pinecone's <c>$ne</c>/<c>$nin</c> need the field, so
/// they are sent as <c>$or: [{f: {$ne: v}}, {f: {$exists: false}}]</c>.</item>
/// <item>Pinecone's <c>$in</c>/<c>$nin</c> take strings and numbers: booleans in the list are sent as <c>$eq</c>/<c>$ne</c>.</item>
/// <item>not is pushed down by De Morgan (and/or swap, eq/ne, in/not_in, exists true/false swap). The negation of a
/// range (gt/gte/lt/lte) also matches fields that hold a string, a boolean or a list, which Pinecone cannot select, so a
/// negated range is refused with <see cref="UnsupportedFilterException"/> (<see cref="StorageCapabilities.NegatesRangeFilters"/>).</item>
/// <item>contains, starts_with and ends_with have no Pinecone operator: refused, and left out of the capabilities.</item>
/// </list>
/// </summary>
internal static class PineconeFilters
{
    public static readonly IReadOnlySet<FilterOperator> Supported = new HashSet<FilterOperator>
    {
        FilterOperator.Eq,
        FilterOperator.Ne,
        FilterOperator.Gt,
        FilterOperator.Gte,
        FilterOperator.Lt,
        FilterOperator.Lte,
        FilterOperator.In,
        FilterOperator.NotIn,
        FilterOperator.Exists,
    };

    /// <summary>Validates the filter (Core's limits) and translates it; null for no filter.</summary>
    public static JsonObject? Translate(FilterExpression? filter, string? index, string operation)
    {
        if (filter is null)
        {
            return null;
        }

        FilterLimits.Validate(filter);
        return Translate(filter, negated: false, index, operation);
    }

    private static JsonObject Translate(FilterExpression filter, bool negated, string? index, string operation) => filter switch
    {
        FieldFilter f => Field(f, negated, index, operation),
        AndFilter a => Group(negated ? "$or" : "$and", a.Clauses, negated, index, operation),
        OrFilter o => Group(negated ? "$and" : "$or", o.Clauses, negated, index, operation),
        NotFilter n => Translate(n.Clause, !negated, index, operation),
        _ => throw new InvalidFilterException("filter", "unknown filter node"),
    };

    private static JsonObject Group(string op, IReadOnlyList<FilterExpression> clauses, bool negated, string? index, string operation) =>
        new() { [op] = new JsonArray([.. clauses.Select(c => (JsonNode)Translate(c, negated, index, operation))]) };

    private static JsonObject Field(FieldFilter f, bool negated, string? index, string operation)
    {
        if (!Supported.Contains(f.Operator))
        {
            throw Unsupported($"Pinecone has no operator for {FilterJson.OperatorName(f.Operator)}", index, operation);
        }

        if (f.Field.StartsWith('$'))
        {
            throw Unsupported($"Pinecone reads a field name starting with '$' as an operator ('{f.Field}')", index, operation);
        }

        return (f.Operator, negated) switch
        {
            (FilterOperator.Eq, false) => Equal(f.Field, f.Value!),
            (FilterOperator.Eq, true) or (FilterOperator.Ne, false) => NotEqual(f.Field, f.Value!),
            (FilterOperator.Ne, true) => Equal(f.Field, f.Value!),
            (FilterOperator.In, false) or (FilterOperator.NotIn, true) => In(f.Field, f.Values!),
            (FilterOperator.In, true) or (FilterOperator.NotIn, false) => NotIn(f.Field, f.Values!),
            (FilterOperator.Exists, _) => Condition(f.Field, "$exists", JsonValue.Create(f.Value!.AsBoolean != negated)),
            (FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte, false) => Condition(f.Field, RangeOperator(f.Operator), JsonValue.Create(f.Value!.AsNumber)),
            _ => throw Unsupported(
                $"Pinecone cannot negate {FilterJson.OperatorName(f.Operator)} exactly: the negation also matches '{f.Field}' values that are not numbers, which Pinecone cannot select",
                index,
                operation),
        };
    }

    private static JsonObject Equal(string field, MetadataValue value) => Condition(field, "$eq", PineconeMetadata.ToJson(value));

    // Theodore's ne matches records without the field; Pinecone's $ne does not, so the missing field is asked for too.
    private static JsonObject NotEqual(string field, MetadataValue value) =>
        OrMissing(field, Condition(field, "$ne", PineconeMetadata.ToJson(value)));

    private static JsonObject In(string field, IReadOnlyList<MetadataValue> values)
    {
        var (listable, booleans) = Split(values);
        var clauses = new List<JsonNode>();
        if (listable.Count > 0)
        {
            clauses.Add(Condition(field, "$in", new JsonArray([.. listable.Select(PineconeMetadata.ToJson)])));
        }

        clauses.AddRange(booleans.Select(b => (JsonNode)Equal(field, b)));
        return clauses.Count == 1 ? (JsonObject)clauses[0] : new JsonObject { ["$or"] = new JsonArray([.. clauses]) };
    }

    private static JsonObject NotIn(string field, IReadOnlyList<MetadataValue> values)
    {
        var (listable, booleans) = Split(values);
        var clauses = new List<JsonNode>();
        if (listable.Count > 0)
        {
            clauses.Add(Condition(field, "$nin", new JsonArray([.. listable.Select(PineconeMetadata.ToJson)])));
        }

        clauses.AddRange(booleans.Select(b => (JsonNode)Condition(field, "$ne", PineconeMetadata.ToJson(b))));
        var present = clauses.Count == 1 ? (JsonObject)clauses[0] : new JsonObject { ["$and"] = new JsonArray([.. clauses]) };
        return OrMissing(field, present);
    }

    private static (List<MetadataValue> Listable, List<MetadataValue> Booleans) Split(IReadOnlyList<MetadataValue> values)
    {
        var listable = new List<MetadataValue>();
        var booleans = new List<MetadataValue>();
        foreach (var value in values)
        {
            (value.Kind == MetadataValueKind.Boolean ? booleans : listable).Add(value);
        }

        return (listable, booleans);
    }

    private static JsonObject OrMissing(string field, JsonObject whenPresent) =>
        new() { ["$or"] = new JsonArray(whenPresent, Condition(field, "$exists", JsonValue.Create(false))) };

    private static JsonObject Condition(string field, string op, JsonNode value) => new() { [field] = new JsonObject { [op] = value } };

    private static string RangeOperator(FilterOperator op) => op switch
    {
        FilterOperator.Gt => "$gt",
        FilterOperator.Gte => "$gte",
        FilterOperator.Lt => "$lt",
        _ => "$lte",
    };

    private static UnsupportedFilterException Unsupported(string message, string? index, string operation) =>
        new(message + ".") { SystemName = PineconeConstants.SystemName, Index = index, Operation = operation };
}
