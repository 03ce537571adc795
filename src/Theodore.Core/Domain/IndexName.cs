using System.Diagnostics.CodeAnalysis;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>
/// An index name: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most
/// 45 characters. This is the strictest rule among the backends (Pinecone), so every name works everywhere.
/// </summary>
public sealed record IndexName
{
    public const int MaxLength = 45;

    private IndexName(string value) => Value = value;

    public string Value { get; }

    public static IndexName Parse(string? value) =>
        TryParse(value, out var name, out var error) ? name : throw new InvalidRequestException("name", error);

    public static bool TryParse(string? value, [NotNullWhen(true)] out IndexName? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        error = value switch
        {
            null or "" => "an index name is required",
            { Length: > MaxLength } => $"an index name has at most {MaxLength} characters, got {value.Length}",
            _ when !IsValid(value) => "an index name uses only a-z, 0-9 and '-', and starts and ends with a letter or digit",
            _ => null,
        };
        if (error is not null)
        {
            return false;
        }

        name = new IndexName(value!);
        return true;
    }


    public override string ToString() => Value;

    private static bool IsValid(string value)
    {
        if (value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
