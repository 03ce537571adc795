namespace Theodore.Core.Domain.Companies;

/// <summary>A company as Theodore knows it; stored as one record whose metadata <see cref="CompanyMetadata"/> maps.</summary>
public sealed record Company
{
    public required VectorId Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? Industry { get; init; }

    public CompanySize? Size { get; init; }

    public int? FoundedYear { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code, e.g. "DE".</summary>
    public string? Country { get; init; }

    public Uri? Website { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, MetadataValue> CustomFields { get; init; } = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
}
