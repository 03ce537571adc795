using System.ComponentModel.DataAnnotations;

namespace Theodore.Adapters.Embeddings.Cohere;

/// <summary>
/// The <c>Embeddings:Cohere</c> section: Cohere's <c>POST {BaseUrl}/v2/embed</c>. The API key is a secret: it travels in
/// the <c>Authorization</c> header only and never appears in <see cref="ToString"/>, logs or errors.
/// </summary>
public sealed class CohereEmbeddingOptions
{
    public const string SectionName = "Embeddings:Cohere";

    public const string DefaultBaseUrl = "https://api.cohere.com";

    public const string DefaultModel = "embed-v4.0";

    /// <summary>Cohere takes at most 96 texts per request.</summary>
    public const int MaxTextsPerRequest = 96;

    [Required(AllowEmptyStrings = false)]
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = DefaultModel;

    /// <summary>
    /// The vector size. Defaults to the model's own (embed-v4.0 1536; embed-english-v3.0 and embed-multilingual-v3.0
    /// 1024; their light versions 384); required for any other model. For embed-v4.0 it is sent as
    /// <c>output_dimension</c> (256, 512, 1024 or 1536).
    /// </summary>
    [Range(1, 65536)]
    public int? Dimensions { get; set; }

    /// <summary>Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Texts per request, at most <see cref="MaxTextsPerRequest"/>; bigger inputs are split and the order kept.</summary>
    [Range(1, MaxTextsPerRequest)]
    public int BatchSize { get; set; } = MaxTextsPerRequest;

    /// <summary>Requests of one call in flight at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    public override string ToString() =>
        $"Cohere {{ BaseUrl = {BaseUrl}, Model = {Model}, Dimensions = {Dimensions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(model default)"}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")} }}";
}
