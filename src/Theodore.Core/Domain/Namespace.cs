using System.Diagnostics.CodeAnalysis;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>
/// A partition of an index. Optional everywhere: <c>default</c> is the empty namespace "". Same rule as ids.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Namespace is the domain's word for a partition; consumers are C#.")]
public readonly record struct Namespace
{
    private readonly string? _value;

    private Namespace(string value) => _value = value;

    public static Namespace Default => default;

    public string Value => _value ?? string.Empty;

    public bool IsDefault => Value.Length == 0;

    public static Namespace Parse(string? value, string path = "namespace") =>
        TryParse(value, out var ns, out var error) ? ns : throw new InvalidRequestException(path, error);

    public static bool TryParse(string? value, out Namespace ns, [NotNullWhen(false)] out string? error)
    {
        ns = default;
        if (string.IsNullOrEmpty(value))
        {
            error = null;
            return true;
        }

        error = IdentifierRules.Check(value, "a namespace");
        if (error is not null)
        {
            return false;
        }

        ns = new Namespace(value);
        return true;
    }

    public bool Equals(Namespace other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);


    public override string ToString() => Value;
}
