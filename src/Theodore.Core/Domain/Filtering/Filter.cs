namespace Theodore.Core.Domain.Filtering;

/// <summary>Readable construction of filters: <c>Filter.And(Filter.Eq("industry", "fintech"), Filter.Gte("founded", 2015))</c>.</summary>
public static class Filter
{
    public static FieldFilter Eq(string field, MetadataValue value) => new(field, FilterOperator.Eq, value);

    public static FieldFilter Ne(string field, MetadataValue value) => new(field, FilterOperator.Ne, value);

    public static FieldFilter Gt(string field, double value) => new(field, FilterOperator.Gt, value);

    public static FieldFilter Gte(string field, double value) => new(field, FilterOperator.Gte, value);

    public static FieldFilter Lt(string field, double value) => new(field, FilterOperator.Lt, value);

    public static FieldFilter Lte(string field, double value) => new(field, FilterOperator.Lte, value);

    public static FieldFilter In(string field, params MetadataValue[] values) => new(field, FilterOperator.In, null, values);

    public static FieldFilter NotIn(string field, params MetadataValue[] values) => new(field, FilterOperator.NotIn, null, values);

    public static FieldFilter Contains(string field, string value) => new(field, FilterOperator.Contains, value);

    public static FieldFilter StartsWith(string field, string value) => new(field, FilterOperator.StartsWith, value);

    public static FieldFilter EndsWith(string field, string value) => new(field, FilterOperator.EndsWith, value);

    public static FieldFilter Exists(string field, bool exists = true) => new(field, FilterOperator.Exists, exists);

    public static AndFilter And(params FilterExpression[] clauses) => new(clauses);

    public static OrFilter Or(params FilterExpression[] clauses) => new(clauses);

    public static NotFilter Not(FilterExpression clause) => new(clause);
}
