using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Theodore.Api.Tests.Endpoints;
using Xunit.Abstractions;

namespace Theodore.Api.Tests.Companies.Quality;

/// <summary>
/// How good "like this one" is with the real model: the sample companies imported through the API, then for every
/// hand-labelled company the share of its top 5 from <c>/similar</c> that a person listed as its peers (precision@5).
/// The issue asks for a mean of at least 0.6 with the default model.
/// </summary>
public sealed class SimilarityQualityTests(ITestOutputHelper output)
{
    public const double RequiredPrecisionAt5 = 0.6;

    [Fact]
    public async Task Mean_precision_at_5_of_similar_meets_the_bar_with_the_default_model()
    {
        var precision = await MeasureAsync(model: null);
        Assert.True(precision >= RequiredPrecisionAt5, $"mean precision@5 {precision:0.000} < {RequiredPrecisionAt5}");
    }

    /// <summary>The other local model meets the bar too, so either can be chosen; the figures decide the default (TICKET-012).</summary>
    [Fact]
    public async Task Mean_precision_at_5_of_similar_meets_the_bar_with_MiniLM()
    {
        var precision = await MeasureAsync("MiniLM");
        Assert.True(precision >= RequiredPrecisionAt5, $"mean precision@5 {precision:0.000} < {RequiredPrecisionAt5}");
    }

    /// <summary>Imports the sample set into an API on <paramref name="model"/> (null: the default) and returns the mean precision@5.</summary>
    private async Task<double> MeasureAsync(string? model)
    {
        var settings = new Dictionary<string, string?> { ["Embeddings:Local:WarmUp"] = "false" };
        if (model is not null)
        {
            settings["Embeddings:Local:Model"] = model;
        }

        using var factory = new TheodoreApiFactory(settings);
        using var client = factory.CreateClient();
        using (var body = new StreamContent(File.OpenRead(SampleData.CompaniesPath)))
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            var import = await (await client.PostAsync(new Uri("/v1/companies/import", UriKind.Relative), body)).ReadJsonAsync();
            Assert.Equal(0, import.GetProperty("summary").GetProperty("failed").GetInt32());
        }

        using var labels = JsonDocument.Parse(await File.ReadAllTextAsync(SampleData.LabelsPath));
        var precisions = new List<double>();
        foreach (var labelled in labels.RootElement.GetProperty("companies").EnumerateArray())
        {
            var id = labelled.GetProperty("id").GetString()!;
            var peers = labelled.GetProperty("peers").EnumerateArray().Select(p => p.GetString()!).ToHashSet(StringComparer.Ordinal);
            var similar = await (await client.GetAsync($"/v1/companies/{id}/similar?topK=5")).ReadJsonAsync();
            var top = similar.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("company").GetProperty("id").GetString()!).ToArray();
            var hits = top.Count(peers.Contains);
            precisions.Add(hits / 5.0);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id,-28} p@5 {hits / 5.0:0.0}  top: {string.Join(", ", top.Select(t => peers.Contains(t) ? t : "(" + t + ")"))}"));
        }

        var mean = precisions.Average();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {model ?? "default"}: mean precision@5 {mean:0.000} over {precisions.Count} labelled companies"));
        return mean;
    }
}
