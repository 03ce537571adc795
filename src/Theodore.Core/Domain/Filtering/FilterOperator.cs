namespace Theodore.Core.Domain.Filtering;

/// <summary>Field comparisons. Their exact meaning on every backend is defined by <see cref="FilterEvaluator"/>.</summary>
public enum FilterOperator
{
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    NotIn,
    Contains,
    StartsWith,
    EndsWith,
    Exists,
}
