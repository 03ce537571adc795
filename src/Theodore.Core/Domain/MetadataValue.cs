using System.Globalization;

namespace Theodore.Core.Domain;

/// <summary>A metadata value: a string, a finite number, a boolean or a list of strings. Never null.</summary>
public sealed class MetadataValue : IEquatable<MetadataValue>
{
    private readonly string? _string;
    private readonly double _number;
    private readonly IReadOnlyList<string>? _list;

    private MetadataValue(MetadataValueKind kind, string? s, double n, IReadOnlyList<string>? list)
    {
        Kind = kind;
        _string = s;
        _number = n;
        _list = list;
    }

    public static MetadataValue True { get; } = new(MetadataValueKind.Boolean, null, 1, null);

    public static MetadataValue False { get; } = new(MetadataValueKind.Boolean, null, 0, null);

    public MetadataValueKind Kind { get; }

    public string AsString => Kind == MetadataValueKind.String ? _string! : throw WrongKind(MetadataValueKind.String);

    public double AsNumber => Kind == MetadataValueKind.Number ? _number : throw WrongKind(MetadataValueKind.Number);

    public bool AsBoolean => Kind == MetadataValueKind.Boolean ? _number != 0 : throw WrongKind(MetadataValueKind.Boolean);

    public IReadOnlyList<string> AsStringList => Kind == MetadataValueKind.StringList ? _list! : throw WrongKind(MetadataValueKind.StringList);

    public static MetadataValue FromString(string value) => new(MetadataValueKind.String, value ?? throw new ArgumentNullException(nameof(value)), 0, null);

    public static MetadataValue FromNumber(double value) =>
        double.IsFinite(value) ? new(MetadataValueKind.Number, null, value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "metadata numbers must be finite");

    public static MetadataValue FromBoolean(bool value) => value ? True : False;

    public static MetadataValue FromStrings(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToArray();
        if (Array.IndexOf(list, null) >= 0)
        {
            throw new ArgumentException("metadata lists must not contain null", nameof(values));
        }

        return new(MetadataValueKind.StringList, null, 0, list);
    }

    public static implicit operator MetadataValue(string value) => FromString(value);

    public static implicit operator MetadataValue(double value) => FromNumber(value);

    public static implicit operator MetadataValue(bool value) => FromBoolean(value);

    public static implicit operator MetadataValue(string[] values) => FromStrings(values);

    public bool Equals(MetadataValue? other)
    {
        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            MetadataValueKind.String => string.Equals(_string, other._string, StringComparison.Ordinal),
            MetadataValueKind.StringList => _list!.SequenceEqual(other._list!, StringComparer.Ordinal),
            _ => _number.Equals(other._number),
        };
    }

    public override bool Equals(object? obj) => Equals(obj as MetadataValue);

    public override int GetHashCode() => Kind switch
    {
        MetadataValueKind.String => StringComparer.Ordinal.GetHashCode(_string!),
        MetadataValueKind.StringList => _list!.Count == 0 ? 17 : HashCode.Combine(_list.Count, StringComparer.Ordinal.GetHashCode(_list[0])),
        _ => HashCode.Combine(Kind, _number),
    };

    public override string ToString() => Kind switch
    {
        MetadataValueKind.String => _string!,
        MetadataValueKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        MetadataValueKind.Boolean => AsBoolean ? "true" : "false",
        _ => "[" + string.Join(", ", _list!) + "]",
    };

    private InvalidOperationException WrongKind(MetadataValueKind wanted) => new($"metadata value is a {Kind}, not a {wanted}");
}
