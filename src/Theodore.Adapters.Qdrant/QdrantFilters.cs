using Qdrant.Client.Grpc;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Filter = Qdrant.Client.Grpc.Filter;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// Theodore's filters as Qdrant conditions, meaning exactly what <see cref="FilterEvaluator"/> says (payload layout in
/// <see cref="QdrantPayload"/>; field paths are <c>metadata."key"</c>):
/// <list type="bullet">
/// <item>eq: keyword match (strings; a list matches when any element does), a closed range [v, v] (numbers, stored as
/// doubles; Qdrant's integer match would miss them), a boolean match;</item>
/// <item>ne / not_in: must_not of eq / in, so records without the field match;</item>
/// <item>in: should of eq per value (strings folded into one keywords match);</item>
/// <item>gt / gte / lt / lte: a range, which never matches a missing or non-numeric field;</item>
/// <item>contains: a substring text match on the string copy in <c>theodore_text</c> (no full-text index, so Qdrant
/// compares exactly) or a keyword match on a list element;</item>
/// <item>starts_with: Qdrant's prefix match (in the v1.19 protocol, Match.prefix = 11), on a string or any list element;</item>
/// <item>exists: a keyword match on the key names in <c>theodore_keys</c>;</item>
/// <item>and / or / not: must / should / must_not of nested filters.</item>
/// </list>
/// ends_with has no Qdrant condition: it is left out of the capabilities and refused with
/// <see cref="UnsupportedFilterException"/>, as is a field name with a double quote or backslash (Qdrant's JSON paths
/// cannot address such a key).
/// </summary>
internal static class QdrantFilters
{
    public static readonly IReadOnlySet<FilterOperator> Supported = new HashSet<FilterOperator>(
        Enum.GetValues<FilterOperator>().Where(op => op != FilterOperator.EndsWith));

    /// <summary>The records of <paramref name="ns"/> that match <paramref name="filter"/> (validated against Theodore's limits first).</summary>
    public static Filter Build(Namespace ns, FilterExpression? filter)
    {
        var result = new Filter();
        result.Must.Add(Keyword(QdrantPayload.NamespaceKey, ns.Value));
        if (filter is not null)
        {
            FilterLimits.Validate(filter);
            result.Must.Add(Translate(filter));
        }

        return result;
    }

    private static Condition Translate(FilterExpression filter)
    {
        switch (filter)
        {
            case FieldFilter field:
                return Translate(field);
            case AndFilter and:
                var all = new Filter();
                all.Must.Add(and.Clauses.Select(Translate));
                return new Condition { Filter = all };
            case OrFilter or:
                var any = new Filter();
                any.Should.Add(or.Clauses.Select(Translate));
                return new Condition { Filter = any };
            case NotFilter not:
                return Not(Translate(not.Clause));
            default:
                throw new InvalidFilterException("filter", "unknown filter node");
        }
    }

    private static Condition Translate(FieldFilter f)
    {
        if (!Supported.Contains(f.Operator))
        {
            throw Unsupported($"Qdrant has no condition for {FilterJson.OperatorName(f.Operator)}.");
        }

        if (f.Field.Contains('"', StringComparison.Ordinal) || f.Field.Contains('\\', StringComparison.Ordinal))
        {
            throw Unsupported($"Qdrant cannot filter on the field '{f.Field}': its JSON paths cannot address a key with a double quote or backslash.");
        }

        var path = $"{QdrantPayload.MetadataKey}.\"{f.Field}\"";
        return f.Operator switch
        {
            FilterOperator.Eq => Equal(path, f.Value!),
            FilterOperator.Ne => Not(Equal(path, f.Value!)),
            FilterOperator.In => In(path, f.Values!),
            FilterOperator.NotIn => Not(In(path, f.Values!)),
            FilterOperator.Gt => Range(path, new global::Qdrant.Client.Grpc.Range { Gt = f.Value!.AsNumber }),
            FilterOperator.Gte => Range(path, new global::Qdrant.Client.Grpc.Range { Gte = f.Value!.AsNumber }),
            FilterOperator.Lt => Range(path, new global::Qdrant.Client.Grpc.Range { Lt = f.Value!.AsNumber }),
            FilterOperator.Lte => Range(path, new global::Qdrant.Client.Grpc.Range { Lte = f.Value!.AsNumber }),
            FilterOperator.Contains => Any(
                Field($"{QdrantPayload.TextKey}.\"{f.Field}\"", new Match { Text = f.Value!.AsString }),
                Keyword(path, f.Value!.AsString)),
            FilterOperator.StartsWith => Field(path, new Match { Prefix = f.Value!.AsString }),
            FilterOperator.Exists => f.Value!.AsBoolean ? Keyword(QdrantPayload.KeysKey, f.Field) : Not(Keyword(QdrantPayload.KeysKey, f.Field)),
            _ => throw Unsupported($"Qdrant has no condition for {FilterJson.OperatorName(f.Operator)}."),
        };
    }

    private static Condition Equal(string path, MetadataValue value) => value.Kind switch
    {
        MetadataValueKind.String => Keyword(path, value.AsString),
        MetadataValueKind.Number => Range(path, new global::Qdrant.Client.Grpc.Range { Gte = value.AsNumber, Lte = value.AsNumber }),
        MetadataValueKind.Boolean => Field(path, new Match { Boolean = value.AsBoolean }),
        _ => throw new InvalidFilterException("filter", "$eq and $ne compare with a string, number or boolean"),
    };

    private static Condition In(string path, IReadOnlyList<MetadataValue> values)
    {
        var conditions = new List<Condition>();
        var strings = values.Where(v => v.Kind == MetadataValueKind.String).Select(v => v.AsString).Distinct(StringComparer.Ordinal).ToList();
        if (strings.Count > 0)
        {
            var keywords = new RepeatedStrings();
            keywords.Strings.Add(strings);
            conditions.Add(Field(path, new Match { Keywords = keywords }));
        }

        conditions.AddRange(values.Where(v => v.Kind != MetadataValueKind.String).Select(v => Equal(path, v)));
        return Any([.. conditions]);
    }

    private static Condition Keyword(string path, string value) => Field(path, new Match { Keyword = value });

    private static Condition Field(string path, Match match) => new() { Field = new FieldCondition { Key = path, Match = match } };

    private static Condition Range(string path, global::Qdrant.Client.Grpc.Range range) => new() { Field = new FieldCondition { Key = path, Range = range } };

    private static Condition Any(params Condition[] conditions)
    {
        var filter = new Filter();
        filter.Should.Add(conditions);
        return new Condition { Filter = filter };
    }

    private static Condition Not(Condition condition)
    {
        var filter = new Filter();
        filter.MustNot.Add(condition);
        return new Condition { Filter = filter };
    }

    private static UnsupportedFilterException Unsupported(string message) => new(message) { SystemName = QdrantConstants.SystemName };
}
