namespace Theodore.Core.Domain.Filtering;

/// <summary>
/// The one meaning of every filter operator; adapters translate to their backend so that it agrees with this.
/// <list type="bullet">
/// <item>eq / in: the field equals the value (same type: strings ordinal, numbers by value, booleans); a string
/// list matches when any element does.</item>
/// <item>ne / not_in: the negation of eq / in, so records without the field match.</item>
/// <item>gt / gte / lt / lte: numeric fields only; a missing or non-numeric field does not match.</item>
/// <item>contains: a string field contains the substring (ordinal, case-sensitive), or a string list has the element.</item>
/// <item>starts_with / ends_with: a string field, or any element of a string list, starts or ends with the value (ordinal).</item>
/// <item>exists: true matches records that have the field, false those that do not.</item>
/// </list>
/// </summary>
public static class FilterEvaluator
{
    public static bool Matches(FilterExpression filter, IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(metadata);
        return filter switch
        {
            FieldFilter f => Matches(f, metadata),
            AndFilter a => AllMatch(a.Clauses, metadata),
            OrFilter o => AnyMatch(o.Clauses, metadata),
            NotFilter n => !Matches(n.Clause, metadata),
            _ => throw new ArgumentException($"unknown filter node {filter.GetType().Name}", nameof(filter)),
        };
    }

    private static bool AllMatch(IReadOnlyList<FilterExpression> clauses, IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        foreach (var clause in clauses)
        {
            if (!Matches(clause, metadata))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyMatch(IReadOnlyList<FilterExpression> clauses, IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        foreach (var clause in clauses)
        {
            if (Matches(clause, metadata))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(FieldFilter filter, IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        var present = metadata.TryGetValue(filter.Field, out var field);
        return filter.Operator switch
        {
            FilterOperator.Exists => present == filter.Value!.AsBoolean,
            FilterOperator.Eq => present && EqualsValue(field!, filter.Value!),
            FilterOperator.Ne => !present || !EqualsValue(field!, filter.Value!),
            FilterOperator.In => present && InList(field!, filter.Values!),
            FilterOperator.NotIn => !present || !InList(field!, filter.Values!),
            FilterOperator.Gt => IsNumber(field) && field!.AsNumber > filter.Value!.AsNumber,
            FilterOperator.Gte => IsNumber(field) && field!.AsNumber >= filter.Value!.AsNumber,
            FilterOperator.Lt => IsNumber(field) && field!.AsNumber < filter.Value!.AsNumber,
            FilterOperator.Lte => IsNumber(field) && field!.AsNumber <= filter.Value!.AsNumber,
            FilterOperator.Contains => present && Contains(field!, filter.Value!.AsString),
            FilterOperator.StartsWith => present && AnyString(field!, filter.Value!.AsString, static (s, v) => s.StartsWith(v, StringComparison.Ordinal)),
            FilterOperator.EndsWith => present && AnyString(field!, filter.Value!.AsString, static (s, v) => s.EndsWith(v, StringComparison.Ordinal)),
            _ => throw new ArgumentException($"unknown operator {filter.Operator}", nameof(filter)),
        };
    }

    private static bool IsNumber(MetadataValue? value) => value is { Kind: MetadataValueKind.Number };

    private static bool EqualsValue(MetadataValue field, MetadataValue value)
    {
        if (field.Kind == MetadataValueKind.StringList && value.Kind == MetadataValueKind.String)
        {
            foreach (var item in field.AsStringList)
            {
                if (string.Equals(item, value.AsString, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        return field.Equals(value);
    }

    private static bool InList(MetadataValue field, IReadOnlyList<MetadataValue> values)
    {
        foreach (var value in values)
        {
            if (EqualsValue(field, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(MetadataValue field, string value) => field.Kind switch
    {
        MetadataValueKind.String => field.AsString.Contains(value, StringComparison.Ordinal),
        MetadataValueKind.StringList => field.AsStringList.Contains(value, StringComparer.Ordinal),
        _ => false,
    };

    private static bool AnyString(MetadataValue field, string value, Func<string, string, bool> test)
    {
        if (field.Kind == MetadataValueKind.String)
        {
            return test(field.AsString, value);
        }

        if (field.Kind == MetadataValueKind.StringList)
        {
            foreach (var item in field.AsStringList)
            {
                if (test(item, value))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
