using System.Text.Json;
using Theodore.Application.Common;
using Theodore.Application.Companies;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;

namespace Theodore.Application.Tests.Companies;

/// <summary>What a company must be, what it is normalized to, and the text its vector is made from.</summary>
public sealed class CompanyRulesTests
{
    [Fact]
    public void A_valid_company_is_normalized()
    {
        var parser = new RequestParser();
        var input = new CompanyInput
        {
            Name = "  Acme  ",
            Description = " Payroll for cafes. ",
            Industry = "HR-Tech",
            Size = "Small",
            FoundedYear = 2016,
            Country = "de",
            Website = "https://acme.example/",
            Tags = ["Payroll", "payroll", " HR "],
            CustomFields = JsonDocument.Parse("""{"employees":12,"public":false}""").RootElement,
        };

        var company = input.Parse(parser, "acme", 2026)!;

        Assert.False(parser.HasErrors);
        Assert.Equal(("Acme", "Payroll for cafes.", "hr-tech", CompanySize.Small, "DE"), (company.Name, company.Description, company.Industry, company.Size, company.Country));
        Assert.Equal(["payroll", "hr"], company.Tags);
        Assert.Equal(12, company.CustomFields["employees"].AsNumber);
    }

    [Fact]
    public void Every_broken_rule_is_listed_at_its_path()
    {
        var parser = new RequestParser();
        var input = new CompanyInput
        {
            Name = "",
            Description = new string('x', CompanyInput.MaxDescriptionLength + 1),
            Size = "3",
            FoundedYear = 2027,
            Country = "D1",
            Website = "not a url",
            Tags = [.. Enumerable.Range(0, 33).Select(i => $"t{i}")],
            CustomFields = JsonDocument.Parse("[1]").RootElement,
        };

        Assert.Null(input.Parse(parser, "bad id with spaces and a very long tail " + new string('x', 600), 2026));
        Assert.Equal(
            ["id", "name", "description", "size", "foundedYear", "country", "website", "tags", "customFields"],
            parser.Errors.Select(e => e.Path));
    }

    [Fact]
    public void The_embedded_text_is_the_description_then_industry_and_tags_and_its_hash_is_stable()
    {
        var company = new Company { Id = VectorId.Parse("a"), Name = "Acme", Description = "Payroll for cafes", Industry = "hr-tech", Tags = ["payroll", "hospitality"] };

        var text = CompanyText.For(company);

        Assert.Equal("Payroll for cafes. Industry: hr-tech. Tags: payroll, hospitality.", text);
        Assert.Equal("Acme", CompanyText.For(company with { Description = null, Industry = null, Tags = [] }));
        Assert.Equal("Done! Industry: x.", CompanyText.For(company with { Description = "Done!", Industry = "x", Tags = [] }));
        Assert.Equal(64, CompanyText.Hash(text).Length);
        Assert.Equal(CompanyText.Hash(text), CompanyText.Hash(CompanyText.For(company with { Name = "Renamed" })));
        Assert.NotEqual(CompanyText.Hash(text), CompanyText.Hash(CompanyText.For(company with { Tags = ["payroll"] })));
    }

    [Fact]
    public void Shared_attributes_are_those_equal_on_both_sides()
    {
        var query = new Company { Id = VectorId.Parse("q"), Name = "Q", Industry = "fintech", Country = "DE", Size = CompanySize.Small, Tags = ["a", "b"] };
        var match = query with { Id = VectorId.Parse("m"), Country = "FR", Tags = ["b", "c"] };

        var shared = SharedAttributes.Between(query, match);

        Assert.Equal(("fintech", (string?)null, (CompanySize?)CompanySize.Small), (shared.Industry, shared.Country, shared.Size));
        Assert.Equal(["b"], shared.Tags);
        Assert.Null(SharedAttributes.Between(query with { Industry = null }, match with { Industry = null }).Industry);
    }
}
