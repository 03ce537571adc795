using System.Globalization;

namespace Theodore.Engine;

/// <summary>
/// One metadata value: a string, a finite number, a boolean or a list of strings. Immutable;
/// equality is by kind and value (lists compare element-wise, ordinally).
/// </summary>
public readonly struct EngineValue : IEquatable<EngineValue>
{
    private readonly object? _reference;
    private readonly double _number;

    private EngineValue(EngineValueKind kind, object? reference, double number)
    {
        Kind = kind;
        _reference = reference;
        _number = number;
    }

    public EngineValueKind Kind { get; }

    public static EngineValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new EngineValue(EngineValueKind.Text, value, 0);
    }

    public static EngineValue FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Metadata numbers must be finite.");
        }

        return new EngineValue(EngineValueKind.Number, null, value);
    }

    public static EngineValue FromBoolean(bool value) => new(EngineValueKind.Boolean, null, value ? 1 : 0);

    public static EngineValue FromStringList(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = values.ToArray();
        foreach (var item in copy)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(values));
        }

        return new EngineValue(EngineValueKind.TextList, copy, 0);
    }

    public static implicit operator EngineValue(string value) => FromString(value);

    public static implicit operator EngineValue(double value) => FromDouble(value);

    public static implicit operator EngineValue(bool value) => FromBoolean(value);

    public static bool operator ==(EngineValue left, EngineValue right) => left.Equals(right);

    public static bool operator !=(EngineValue left, EngineValue right) => !left.Equals(right);

    public string AsString() => Kind == EngineValueKind.Text ? (string)_reference! : throw WrongKind(EngineValueKind.Text);

    public double AsDouble() => Kind == EngineValueKind.Number ? _number : throw WrongKind(EngineValueKind.Number);

    public bool AsBoolean() => Kind == EngineValueKind.Boolean ? _number != 0 : throw WrongKind(EngineValueKind.Boolean);

    public IReadOnlyList<string> AsStringList() => Kind == EngineValueKind.TextList ? (string[])_reference! : throw WrongKind(EngineValueKind.TextList);

    internal string? TextOrNull => Kind == EngineValueKind.Text ? (string)_reference! : null;

    internal string[]? ListOrNull => Kind == EngineValueKind.TextList ? (string[])_reference! : null;

    internal double RawNumber => _number;

    /// <summary>True for <c>default(EngineValue)</c>, which holds no value and is rejected as input.</summary>
    internal bool IsMissing => _reference is null && Kind is EngineValueKind.Text or EngineValueKind.TextList;

    public bool Equals(EngineValue other)
    {
        if (Kind != other.Kind)
        {
            return false;
        }

        return Kind switch
        {
            EngineValueKind.Text => string.Equals((string)_reference!, (string)other._reference!, StringComparison.Ordinal),
            EngineValueKind.TextList => ((string[])_reference!).AsSpan().SequenceEqual((string[])other._reference!),
            _ => _number.Equals(other._number),
        };
    }

    public override bool Equals(object? obj) => obj is EngineValue other && Equals(other);

    public override int GetHashCode()
    {
        switch (Kind)
        {
            case EngineValueKind.Text:
                return HashCode.Combine(Kind, string.GetHashCode((string)_reference!, StringComparison.Ordinal));
            case EngineValueKind.TextList:
                var hash = new HashCode();
                hash.Add(Kind);
                foreach (var item in (string[])_reference!)
                {
                    hash.Add(item, StringComparer.Ordinal);
                }

                return hash.ToHashCode();
            default:
                return HashCode.Combine(Kind, _number);
        }
    }

    public override string ToString() => Kind switch
    {
        EngineValueKind.Text => (string)_reference!,
        EngineValueKind.Number => _number.ToString(CultureInfo.InvariantCulture),
        EngineValueKind.Boolean => _number != 0 ? "true" : "false",
        _ => "[" + string.Join(",", (string[])_reference!) + "]",
    };

    private InvalidOperationException WrongKind(EngineValueKind wanted) => new($"The value is {Kind}, not {wanted}.");
}
