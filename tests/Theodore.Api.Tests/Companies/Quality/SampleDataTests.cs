using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Theodore.Api.Tests.Companies.Quality;

/// <summary>
/// The fictional sample companies (docs/examples/companies.jsonl) and the hand labels of the quality test
/// (labelled-peers.json) stay well formed: every line a valid company, enough variety to make similarity meaningful,
/// and every label pointing at companies that exist.
/// </summary>
public sealed partial class SampleDataTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> Sizes = new(StringComparer.Ordinal) { "micro", "small", "medium", "large", "enterprise" };

    [Fact]
    public void Companies_every_line_is_a_valid_company()
    {
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(CompaniesPath());
        Assert.True(lines.Length >= 300, $"{lines.Length} lines, expected at least 300");

        for (var i = 0; i < lines.Length; i++)
        {
            var where = $"line {i + 1}";
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(lines[i]);
            }
            catch (JsonException e)
            {
                problems.Add($"{where}: not JSON ({e.Message})");
                continue;
            }

            using (document)
            {
                CheckCompany(document.RootElement, where, ids, problems);
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Companies_cover_enough_industries_and_countries()
    {
        var companies = ReadCompanies();
        var industries = companies.GroupBy(c => c.Industry, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var countries = companies.Select(c => c.Country).Distinct(StringComparer.Ordinal).Count();

        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture, $"{companies.Count} companies, {industries.Count} industries, {countries} countries\n");
        foreach (var industry in industries)
        {
            report.Append(CultureInfo.InvariantCulture, $"{industry.Key,-16} {industry.Count(),4}\n");
        }

        output.WriteLine(report.ToString());
        Assert.True(industries.Count >= 15, $"{industries.Count} industries, expected at least 15");
        Assert.True(countries >= 20, $"{countries} countries, expected at least 20");
    }

    [Fact]
    public void Labels_name_known_companies_with_five_to_eight_peers_each()
    {
        var known = ReadCompanies().ToDictionary(c => c.Id, c => c.Industry, StringComparer.Ordinal);
        using var document = JsonDocument.Parse(File.ReadAllText(LabelsPath()));
        var root = document.RootElement;
        Assert.True(root.TryGetProperty("about", out var about) && about.ValueKind == JsonValueKind.String
            && about.GetString()!.Length > 0, "labels need an 'about' paragraph");

        var problems = new List<string>();
        var labelled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in root.GetProperty("companies").EnumerateArray())
        {
            var id = label.GetProperty("id").GetString()!;
            if (!labelled.Add(id)) problems.Add($"{id}: labelled twice");
            if (!known.ContainsKey(id)) problems.Add($"{id}: not in companies.jsonl");
            if (!label.TryGetProperty("why", out var why) || string.IsNullOrWhiteSpace(why.GetString())) problems.Add($"{id}: no 'why'");

            var peers = label.GetProperty("peers").EnumerateArray().Select(p => p.GetString()!).ToList();
            if (peers.Count is < 5 or > 8) problems.Add($"{id}: {peers.Count} peers, expected 5-8");
            if (peers.Contains(id, StringComparer.Ordinal)) problems.Add($"{id}: is its own peer");
            if (peers.Distinct(StringComparer.Ordinal).Count() != peers.Count) problems.Add($"{id}: a peer is named twice");
            problems.AddRange(peers.Where(p => !known.ContainsKey(p)).Select(p => $"{id}: peer {p} not in companies.jsonl"));
        }

        var industries = labelled.Where(known.ContainsKey).Select(id => known[id]).Distinct(StringComparer.Ordinal).Count();
        output.WriteLine($"{labelled.Count} labelled companies over {industries} industries");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(labelled.Count >= 30, $"{labelled.Count} labelled companies, expected at least 30");
    }

    private static void CheckCompany(JsonElement company, string where, HashSet<string> ids, List<string> problems)
    {
        if (company.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: not an object");
            return;
        }

        var id = Text(company, "id", where, problems);
        if (id is not null)
        {
            where = $"{where} ({id})";
            if (!Slug().IsMatch(id)) problems.Add($"{where}: id is not a lowercase slug");
            if (!ids.Add(id)) problems.Add($"{where}: id is not unique");
        }

        Text(company, "name", where, problems);
        if (Text(company, "industry", where, problems) is { } industry && !Slug().IsMatch(industry)) problems.Add($"{where}: industry is not a slug");
        if (Text(company, "size", where, problems) is { } size && !Sizes.Contains(size)) problems.Add($"{where}: size '{size}'");
        if (Text(company, "country", where, problems) is { } country && !Country().IsMatch(country)) problems.Add($"{where}: country '{country}'");
        if (Text(company, "website", where, problems) is { } website
            && !(Uri.TryCreate(website, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            problems.Add($"{where}: website is not an absolute http(s) URL");
        }

        if (!company.TryGetProperty("foundedYear", out var year) || !year.TryGetInt32(out var founded) || founded is < 1600 or > 2026)
        {
            problems.Add($"{where}: foundedYear missing or outside 1600..2026");
        }

        if (Text(company, "description", where, problems) is { } description)
        {
            var sentences = SentenceEnd().Count(description);
            if (sentences is < 2 or > 4) problems.Add($"{where}: description has {sentences} sentences, expected 2-4");
            if (description.Length is < 120 or > 700) problems.Add($"{where}: description has {description.Length} characters, expected 120-700");
        }

        if (!company.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{where}: tags missing");
        }
        else if (tags.GetArrayLength() is < 1 or > 32 || tags.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(t.GetString())))
        {
            problems.Add($"{where}: tags must be 1-32 non-empty strings");
        }

        if (company.TryGetProperty("customFields", out var custom))
        {
            if (custom.ValueKind != JsonValueKind.Object) problems.Add($"{where}: customFields is not an object");
            else problems.AddRange(custom.EnumerateObject().Where(f => !IsCustomValue(f.Value)).Select(f => $"{where}: customFields.{f.Name} has an unsupported value"));
        }
    }

    private static bool IsCustomValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
        JsonValueKind.Array => value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String),
        _ => false,
    };

    private static string? Text(JsonElement company, string name, string where, List<string> problems)
    {
        if (company.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
        {
            return value.GetString();
        }

        problems.Add($"{where}: '{name}' missing or not a non-empty string");
        return null;
    }

    private static List<(string Id, string Industry, string Country)> ReadCompanies() =>
        File.ReadAllLines(CompaniesPath()).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return (root.GetProperty("id").GetString()!, root.GetProperty("industry").GetString()!, root.GetProperty("country").GetString()!);
        }).ToList();

    private static string CompaniesPath() => SampleData.CompaniesPath;

    private static string LabelsPath() => SampleData.LabelsPath;

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Slug();

    [GeneratedRegex("^[A-Z]{2}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Country();

    // A sentence ends at . ! or ? followed by a space or the end: "3.5" and ".example" are not sentence ends.
    [GeneratedRegex(@"[.!?](?=\s|$)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SentenceEnd();
}
