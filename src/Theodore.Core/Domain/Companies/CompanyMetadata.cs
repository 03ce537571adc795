using Theodore.Core.Errors;

namespace Theodore.Core.Domain.Companies;

/// <summary>
/// Maps a company to record metadata and back. Fixed fields keep their names (so filters read naturally:
/// <c>{"industry":"fintech","founded":{"$gte":2015}}</c>); custom fields are stored under <c>custom.</c>.
/// </summary>
public static class CompanyMetadata
{
    public const string Name = "name";
    public const string Description = "description";
    public const string Industry = "industry";
    public const string Size = "size";
    public const string Founded = "founded";
    public const string Country = "country";
    public const string Website = "website";
    public const string Tags = "tags";
    public const string CustomPrefix = "custom.";

    /// <summary>SHA-256 of the text the stored vector was made from, so an unchanged text is not embedded again.</summary>
    public const string TextHash = "text_sha256";

    public static Metadata ToMetadata(Company company)
    {
        ArgumentNullException.ThrowIfNull(company);
        var values = new List<KeyValuePair<string, MetadataValue>> { new(Name, company.Name) };
        AddIfPresent(values, Description, company.Description);
        AddIfPresent(values, Industry, company.Industry);
        AddIfPresent(values, Country, company.Country);
        AddIfPresent(values, Website, company.Website?.ToString());
        if (company.Size is { } size)
        {
            values.Add(new(Size, CompanySizes.Name(size)));
        }

        if (company.FoundedYear is { } year)
        {
            values.Add(new(Founded, year));
        }

        if (company.Tags.Count > 0)
        {
            values.Add(new(Tags, MetadataValue.FromStrings(company.Tags)));
        }

        foreach (var (key, value) in company.CustomFields)
        {
            values.Add(new(CustomPrefix + key, value));
        }

        return Metadata.Create(values);
    }

    public static Company FromMetadata(VectorId id, Metadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(Name, out var name) || name.Kind != MetadataValueKind.String)
        {
            throw new InvalidRequestException("metadata.name", $"record '{id}' is not a company: it has no name");
        }

        var custom = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (key.StartsWith(CustomPrefix, StringComparison.Ordinal))
            {
                custom[key[CustomPrefix.Length..]] = value;
            }
        }

        return new Company
        {
            Id = id,
            Name = name.AsString,
            Description = GetString(metadata, Description),
            Industry = GetString(metadata, Industry),
            Country = GetString(metadata, Country),
            Website = GetString(metadata, Website) is { } site && Uri.TryCreate(site, UriKind.Absolute, out var uri) ? uri : null,
            Size = CompanySizes.TryParse(GetString(metadata, Size), out var size) ? size : null,
            FoundedYear = metadata.TryGetValue(Founded, out var f) && f.Kind == MetadataValueKind.Number ? (int)f.AsNumber : null,
            Tags = metadata.TryGetValue(Tags, out var t) && t.Kind == MetadataValueKind.StringList ? t.AsStringList : [],
            CustomFields = custom,
        };
    }

    private static void AddIfPresent(List<KeyValuePair<string, MetadataValue>> values, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            values.Add(new(key, value));
        }
    }

    private static string? GetString(Metadata metadata, string key) =>
        metadata.TryGetValue(key, out var v) && v.Kind == MetadataValueKind.String ? v.AsString : null;
}
