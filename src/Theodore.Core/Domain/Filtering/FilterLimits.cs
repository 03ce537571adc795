using Theodore.Core.Errors;

namespace Theodore.Core.Domain.Filtering;

/// <summary>Bounds on a filter's size, checked before any backend sees it, and its structural rules.</summary>
public static class FilterLimits
{
    public const int MaxDepth = 8;
    public const int MaxClauses = 256;
    public const int MaxListLength = 1024;

    /// <summary>Throws <see cref="InvalidFilterException"/> naming the path of the first broken rule.</summary>
    public static void Validate(FilterExpression filter, string path = "filter")
    {
        ArgumentNullException.ThrowIfNull(filter);
        var clauses = 0;
        Validate(filter, path, 0, ref clauses);
    }

    // depth counts the logical operators ($and, $or, $not) above and including this node; field conditions add none.
    private static void Validate(FilterExpression filter, string path, int depth, ref int clauses)
    {
        if (filter is not FieldFilter && ++depth > MaxDepth)
        {
            throw new InvalidFilterException(path, $"filters nest at most {MaxDepth} levels of $and, $or and $not");
        }

        switch (filter)
        {
            case FieldFilter f:
                if (++clauses > MaxClauses)
                {
                    throw new InvalidFilterException(path, $"a filter has at most {MaxClauses} field conditions");
                }

                ValidateField(f, path);
                break;
            case AndFilter a:
                ValidateGroup(a.Clauses, path, depth, ref clauses);
                break;
            case OrFilter o:
                ValidateGroup(o.Clauses, path, depth, ref clauses);
                break;
            case NotFilter n:
                Validate(n.Clause ?? throw new InvalidFilterException(path, "$not needs a clause"), path, depth, ref clauses);
                break;
            default:
                throw new InvalidFilterException(path, "unknown filter node");
        }
    }

    private static void ValidateGroup(IReadOnlyList<FilterExpression> clauses, string path, int depth, ref int count)
    {
        if (clauses is null || clauses.Count == 0)
        {
            throw new InvalidFilterException(path, "$and and $or need at least one clause");
        }

        for (var i = 0; i < clauses.Count; i++)
        {
            Validate(clauses[i], $"{path}[{i}]", depth, ref count);
        }
    }

    private static void ValidateField(FieldFilter f, string path)
    {
        if (string.IsNullOrEmpty(f.Field) || f.Field.Length > Metadata.MaxKeyLength)
        {
            throw new InvalidFilterException(path, $"field names have 1 to {Metadata.MaxKeyLength} characters");
        }

        switch (f.Operator)
        {
            case FilterOperator.In or FilterOperator.NotIn:
                if (f.Values is null || f.Values.Count == 0)
                {
                    throw new InvalidFilterException(path, "$in and $nin need a non-empty list");
                }

                if (f.Values.Count > MaxListLength)
                {
                    throw new InvalidFilterException(path, $"$in and $nin take at most {MaxListLength} values, got {f.Values.Count}");
                }

                if (f.Values.Any(v => v is null or { Kind: MetadataValueKind.StringList }))
                {
                    throw new InvalidFilterException(path, "$in and $nin lists hold strings, numbers or booleans");
                }

                break;
            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte:
                RequireKind(f, path, MetadataValueKind.Number, "a number");
                break;
            case FilterOperator.Contains or FilterOperator.StartsWith or FilterOperator.EndsWith:
                RequireKind(f, path, MetadataValueKind.String, "a string");
                break;
            case FilterOperator.Exists:
                RequireKind(f, path, MetadataValueKind.Boolean, "true or false");
                break;
            case FilterOperator.Eq or FilterOperator.Ne:
                if (f.Value is null or { Kind: MetadataValueKind.StringList })
                {
                    throw new InvalidFilterException(path, "$eq and $ne compare with a string, number or boolean");
                }

                break;
            default:
                throw new InvalidFilterException(path, $"unknown operator {f.Operator}");
        }
    }

    private static void RequireKind(FieldFilter f, string path, MetadataValueKind kind, string what)
    {
        if (f.Value is null || f.Value.Kind != kind)
        {
            throw new InvalidFilterException(path, $"{FilterJson.OperatorName(f.Operator)} compares with {what}");
        }
    }
}
