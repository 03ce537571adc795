using System.Text.Json;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;

namespace Theodore.Application.Companies;

/// <summary>A company as a client sends it, before any rule is checked (the HTTP body of a PUT, one item of an import).</summary>
public sealed record CompanyInput
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const int MaxIndustryLength = 64;
    public const int MaxTags = 32;
    public const int MaxTagLength = 64;
    public const int MinFoundedYear = 1600;

    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? Industry { get; init; }

    public string? Size { get; init; }

    public int? FoundedYear { get; init; }

    public string? Country { get; init; }

    public string? Website { get; init; }

    public IReadOnlyList<string?>? Tags { get; init; }

    public JsonElement? CustomFields { get; init; }

    /// <summary>
    /// The company as a Core value, its problems added to <paramref name="parser"/> with paths relative to the company
    /// (an import reports each item's errors with the item). Null when any rule is broken.
    /// </summary>
    internal Company? Parse(RequestParser parser, string? id, int currentYear)
    {
        var errorsBefore = parser.ErrorCount;
        var parsedId = parser.Id(id, "id");
        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            parser.Add("name", "a company name is required");
        }
        else if (name.Length > MaxNameLength)
        {
            parser.Add("name", $"has at most {MaxNameLength} characters, got {name.Length}");
        }

        if (Description is { Length: > MaxDescriptionLength })
        {
            parser.Add("description", $"has at most {MaxDescriptionLength} characters, got {Description.Length}");
        }

        var industry = Industry?.Trim().ToLowerInvariant();
        if (industry is { Length: > MaxIndustryLength })
        {
            parser.Add("industry", $"has at most {MaxIndustryLength} characters, got {industry.Length}");
        }

        CompanySize? size = null;
        if (!string.IsNullOrEmpty(Size))
        {
            if (CompanySizes.TryParse(Size, out var parsedSize))
            {
                size = parsedSize;
            }
            else
            {
                parser.Add("size", $"must be one of {string.Join(", ", CompanySizes.Names)}, got '{Size}'");
            }
        }

        if (FoundedYear is { } year && (year < MinFoundedYear || year > currentYear))
        {
            parser.Add("foundedYear", $"must be between {MinFoundedYear} and {currentYear}, got {year}");
        }

        var country = Country?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(country) && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            parser.Add("country", $"must be an ISO 3166-1 alpha-2 code such as 'DE', got '{Country}'");
        }

        Uri? website = null;
        if (!string.IsNullOrWhiteSpace(Website))
        {
            if (Uri.TryCreate(Website, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                website = uri;
            }
            else
            {
                parser.Add("website", $"must be an absolute http or https URL, got '{Website}'");
            }
        }

        var tags = ParseTags(parser);
        var custom = ParseCustomFields(parser);
        if (parser.ErrorCount > errorsBefore)
        {
            return null;
        }

        return new Company
        {
            Id = parsedId,
            Name = name!,
            Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
            Industry = string.IsNullOrEmpty(industry) ? null : industry,
            Size = size,
            FoundedYear = FoundedYear,
            Country = string.IsNullOrEmpty(country) ? null : country,
            Website = website,
            Tags = tags,
            CustomFields = custom,
        };
    }

    private List<string> ParseTags(RequestParser parser)
    {
        var tags = new List<string>(Tags?.Count ?? 0);
        if (Tags is null)
        {
            return tags;
        }

        if (Tags.Count > MaxTags)
        {
            parser.Add("tags", $"at most {MaxTags} tags, got {Tags.Count}");
            return tags;
        }

        for (var i = 0; i < Tags.Count; i++)
        {
            var tag = Tags[i]?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(tag))
            {
                parser.Add($"tags[{i}]", "a tag is a non-empty string");
            }
            else if (tag.Length > MaxTagLength)
            {
                parser.Add($"tags[{i}]", $"has at most {MaxTagLength} characters, got {tag.Length}");
            }
            else if (!tags.Contains(tag, StringComparer.Ordinal))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    private Dictionary<string, MetadataValue> ParseCustomFields(RequestParser parser)
    {
        var custom = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        if (!RequestParsing.IsPresent(CustomFields))
        {
            return custom;
        }

        if (CustomFields!.Value.ValueKind != JsonValueKind.Object)
        {
            parser.Add("customFields", "must be an object of strings, numbers, booleans or lists of strings");
            return custom;
        }

        var metadata = parser.Metadata(CustomFields, "customFields");
        foreach (var (key, value) in metadata)
        {
            custom[key] = value;
        }

        return custom;
    }
}
