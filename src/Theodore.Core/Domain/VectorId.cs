using System.Diagnostics.CodeAnalysis;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>A record id: 1-512 characters, no control characters. Compared ordinally.</summary>
public sealed record VectorId
{
    public const int MaxLength = IdentifierRules.MaxLength;

    private VectorId(string value) => Value = value;

    public string Value { get; }

    public static VectorId Parse(string? value, string path = "id") =>
        TryParse(value, out var id, out var error) ? id : throw new InvalidRequestException(path, error);

    public static bool TryParse(string? value, [NotNullWhen(true)] out VectorId? id, [NotNullWhen(false)] out string? error)
    {
        id = null;
        error = string.IsNullOrEmpty(value) ? "an id is required" : IdentifierRules.Check(value, "an id");
        if (error is not null)
        {
            return false;
        }

        id = new VectorId(value!);
        return true;
    }

    /// <summary>
    /// An id a backend hands back that it stored from a parsed <see cref="VectorId"/>: not checked again. Only for
    /// adapters returning their own stored keys; anything from outside goes through <see cref="Parse"/>.
    /// </summary>
    public static VectorId FromStored(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new VectorId(value);
    }

    public override string ToString() => Value;
}
