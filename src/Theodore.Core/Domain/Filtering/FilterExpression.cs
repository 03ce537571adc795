namespace Theodore.Core.Domain.Filtering;

/// <summary>A metadata filter: a tree of field comparisons joined by and / or / not. Build with <see cref="Filter"/>.</summary>
public abstract record FilterExpression;

/// <summary>
/// Compares one metadata field. <see cref="Value"/> is a scalar for eq/ne/contains/starts_with/ends_with,
/// a number for gt/gte/lt/lte, a boolean for exists; <see cref="Values"/> holds the list for in/not_in.
/// </summary>
public sealed record FieldFilter(string Field, FilterOperator Operator, MetadataValue? Value, IReadOnlyList<MetadataValue>? Values = null) : FilterExpression;

public sealed record AndFilter(IReadOnlyList<FilterExpression> Clauses) : FilterExpression;

public sealed record OrFilter(IReadOnlyList<FilterExpression> Clauses) : FilterExpression;

public sealed record NotFilter(FilterExpression Clause) : FilterExpression;
