using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain.Companies;

public sealed class CompanyMetadataTests
{
    private static readonly Company Full = new()
    {
        Id = VectorId.Parse("acme"),
        Name = "Acme Payments GmbH",
        Description = "Payments for small shops",
        Industry = "fintech",
        Size = CompanySize.Medium,
        FoundedYear = 2015,
        Country = "DE",
        Website = new Uri("https://acme.example/about"),
        Tags = ["b2b", "payments"],
        CustomFields = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["employees"] = 120,
            ["listed"] = false,
            ["investors"] = new[] { "a16z", "Index" },
            ["ceo"] = "Jane Doe",
        },
    };

    [Fact]
    public void ToMetadata_uses_the_documented_field_names()
    {
        var metadata = CompanyMetadata.ToMetadata(Full);

        Assert.Equal("Acme Payments GmbH", metadata["name"].AsString);
        Assert.Equal("fintech", metadata["industry"].AsString);
        Assert.Equal("medium", metadata["size"].AsString);
        Assert.Equal(2015, metadata["founded"].AsNumber);
        Assert.Equal("DE", metadata["country"].AsString);
        Assert.Equal("https://acme.example/about", metadata["website"].AsString);
        Assert.Equal(["b2b", "payments"], metadata["tags"].AsStringList, StringComparer.Ordinal);
        Assert.Equal(120, metadata["custom.employees"].AsNumber);
        Assert.Equal(12, metadata.Count);
    }

    [Fact]
    public void FromMetadata_round_trips_a_full_company()
    {
        var back = CompanyMetadata.FromMetadata(Full.Id, CompanyMetadata.ToMetadata(Full));

        Assert.Equal(Full.Id, back.Id);
        Assert.Equal(Full.Name, back.Name);
        Assert.Equal(Full.Description, back.Description);
        Assert.Equal(Full.Industry, back.Industry);
        Assert.Equal(Full.Size, back.Size);
        Assert.Equal(Full.FoundedYear, back.FoundedYear);
        Assert.Equal(Full.Country, back.Country);
        Assert.Equal(Full.Website, back.Website);
        Assert.Equal(Full.Tags, back.Tags, StringComparer.Ordinal);
        Assert.Equal(
            Full.CustomFields.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            back.CustomFields.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void FromMetadata_round_trips_a_minimal_company()
    {
        var minimal = new Company { Id = VectorId.Parse("m"), Name = "Minimal" };

        var metadata = CompanyMetadata.ToMetadata(minimal);
        var back = CompanyMetadata.FromMetadata(minimal.Id, metadata);

        Assert.Equal(["name"], metadata.Keys, StringComparer.Ordinal);
        Assert.Equal("Minimal", back.Name);
        Assert.Null(back.Description);
        Assert.Null(back.Industry);
        Assert.Null(back.Size);
        Assert.Null(back.FoundedYear);
        Assert.Null(back.Country);
        Assert.Null(back.Website);
        Assert.Empty(back.Tags);
        Assert.Empty(back.CustomFields);
    }

    [Theory]
    [InlineData(CompanySize.Micro)]
    [InlineData(CompanySize.Enterprise)]
    public void FromMetadata_round_trips_every_size(CompanySize size)
    {
        var company = new Company { Id = VectorId.Parse("s"), Name = "S", Size = size };

        Assert.Equal(size, CompanyMetadata.FromMetadata(company.Id, CompanyMetadata.ToMetadata(company)).Size);
    }

    [Fact]
    public void FromMetadata_record_without_name_is_not_a_company()
    {
        var metadata = Metadata.Create([KeyValuePair.Create("industry", (MetadataValue)"fintech")]);

        var ex = Expect.InvalidAt(() => CompanyMetadata.FromMetadata(VectorId.Parse("x-1"), metadata), "metadata.name");

        Assert.Contains("x-1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMetadata_name_that_is_not_a_string_is_refused()
    {
        var metadata = Metadata.Create([KeyValuePair.Create("name", (MetadataValue)42)]);

        Assert.Throws<InvalidRequestException>(() => CompanyMetadata.FromMetadata(VectorId.Parse("x"), metadata));
    }

    [Fact]
    public void FromMetadata_ignores_fields_of_the_wrong_type()
    {
        var metadata = Metadata.Create([
            KeyValuePair.Create("name", (MetadataValue)"N"),
            KeyValuePair.Create("founded", (MetadataValue)"2015"),
            KeyValuePair.Create("size", (MetadataValue)"gigantic"),
            KeyValuePair.Create("website", (MetadataValue)"not a url"),
            KeyValuePair.Create("tags", (MetadataValue)"single"),
        ]);

        var company = CompanyMetadata.FromMetadata(VectorId.Parse("x"), metadata);

        Assert.Null(company.FoundedYear);
        Assert.Null(company.Size);
        Assert.Null(company.Website);
        Assert.Empty(company.Tags);
    }

    [Fact]
    public void ToMetadata_is_what_the_readme_filter_selects()
    {
        var filter = FilterJson.Parse("""{"industry":{"$in":["fintech","insurtech"]},"founded":{"$gte":2015},"$or":[{"country":"DE"},{"country":"FR"}]}""");

        Assert.True(FilterEvaluator.Matches(filter, CompanyMetadata.ToMetadata(Full)));
        Assert.False(FilterEvaluator.Matches(filter, CompanyMetadata.ToMetadata(Full with { Country = "US" })));
    }
}
