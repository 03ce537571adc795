namespace Theodore.Core.Domain.Companies;

/// <summary>Headcount bands (EU SME definition plus enterprise).</summary>
public enum CompanySize
{
    Micro,
    Small,
    Medium,
    Large,
    Enterprise,
}

/// <summary>The names sizes have in JSON and metadata (lower case), and their parsing.</summary>
public static class CompanySizes
{
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<CompanySize>().Select(Name)];

    public static string Name(CompanySize size) => size.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out CompanySize size)
    {
        size = default;
        return value is not null && !value.Trim().All(char.IsAsciiDigit) && Enum.TryParse(value.Trim(), ignoreCase: true, out size) && Enum.IsDefined(size);
    }
}
