using System.ComponentModel.DataAnnotations;

namespace Theodore.Adapters.Embeddings.OpenAI;

/// <summary>
/// The <c>Embeddings:OpenAI</c> section: any endpoint that speaks OpenAI's <c>POST {BaseUrl}/embeddings</c> (OpenAI,
/// Azure OpenAI's v1 API, Ollama, vLLM). The API key is a secret: it travels in the <c>Authorization</c> header only
/// and never appears in <see cref="ToString"/>, logs or errors.
/// </summary>
public sealed class OpenAIEmbeddingOptions
{
    public const string SectionName = "Embeddings:OpenAI";

    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    public const string DefaultModel = "text-embedding-3-small";

    /// <summary>The API root that <c>/embeddings</c> is under: <c>https://api.openai.com/v1</c>, <c>http://localhost:11434/v1</c> (Ollama), ...</summary>
    [Required(AllowEmptyStrings = false)]
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The model id (on Azure OpenAI: the deployment name).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = DefaultModel;

    /// <summary>
    /// The vector size. Defaults to the model's own for OpenAI's models (1536 for text-embedding-3-small and ada-002,
    /// 3072 for text-embedding-3-large); required for any other model. For text-embedding-3-* a smaller value is sent as
    /// <c>dimensions</c> (the API shortens the vectors); for other models it is only checked against what comes back.
    /// </summary>
    [Range(1, 65536)]
    public int? Dimensions { get; set; }

    /// <summary>Required unless <see cref="BaseUrl"/> is a loopback address (a local Ollama or vLLM needs none).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether every vector has unit length; defaults to true for OpenAI's models (they return unit vectors), false otherwise.</summary>
    public bool? Normalized { get; set; }

    /// <summary>Texts per request (OpenAI accepts up to 2,048 inputs, and 300,000 tokens, per request).</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 256;

    /// <summary>Requests of one call in flight at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    public override string ToString() =>
        $"OpenAI {{ BaseUrl = {BaseUrl}, Model = {Model}, Dimensions = {Dimensions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(model default)"}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")} }}";
}
