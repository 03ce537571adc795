namespace Theodore.Engine.Filtering;

internal enum FieldOperator
{
    Eq,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    StartsWith,
    EndsWith,
    Exists,
}
