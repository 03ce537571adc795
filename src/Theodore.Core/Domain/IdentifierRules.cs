namespace Theodore.Core.Domain;

/// <summary>The rule shared by record ids and namespaces: at most 512 characters, no control characters.</summary>
internal static class IdentifierRules
{
    public const int MaxLength = 512;

    public static string? Check(string value, string what)
    {
        if (value.Length > MaxLength)
        {
            return $"{what} has at most {MaxLength} characters, got {value.Length}";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return $"{what} must not contain control characters";
            }
        }

        return null;
    }
}
