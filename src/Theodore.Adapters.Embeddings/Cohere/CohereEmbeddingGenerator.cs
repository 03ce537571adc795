using Refit;
using Theodore.Adapters.Embeddings.Remote;

namespace Theodore.Adapters.Embeddings.Cohere;

/// <summary>
/// Cohere's Embed API v2 through a Refit client: at most 96 texts per request, <c>input_type</c>
/// <c>search_document</c> or <c>search_query</c> from <see cref="EmbeddingInputTypes"/>, float vectors only,
/// <c>output_dimension</c> for embed-v4.0 when a size is configured.
/// </summary>
internal sealed class CohereEmbeddingGenerator(RemoteModel model, Func<ICohereApi> api)
    : RemoteEmbeddingGenerator(model, EmbeddingProviders.CohereProviderName, "Cohere")
{
    public const string SearchDocument = "search_document";
    public const string SearchQuery = "search_query";

    private static readonly string[] FloatOnly = ["float"];

    protected override async Task<IReadOnlyList<float[]>> EmbedBatchAsync(string[] batch, bool isQuery, CancellationToken cancellationToken)
    {
        var request = new CohereEmbedRequest(Model.ModelId, batch, isQuery ? SearchQuery : SearchDocument, FloatOnly, Model.SendDimensions ? Model.Dimension : null);
        var response = await api().EmbedAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Embeddings?.Float
            ?? throw new InvalidOperationException($"Cohere answered without embeddings.float for model '{Model.ModelId}'.");
    }

    protected override EmbeddingProviderException? MapProviderError(Exception error) => error switch
    {
        // Refit's exceptions hold the request, whose headers hold the key: only their status and body are kept.
        ApiException api => RemoteErrors.FromStatus(DisplayName, ProviderName, Model.ModelId, (int)api.StatusCode, api.Content, api.Headers.RetryAfter?.ToString(), Model.ApiKey),
        ApiRequestException request => RemoteErrors.Unreachable(DisplayName, ProviderName, Model.ModelId, request.InnerException?.Message ?? request.Message, Model.ApiKey),
        _ => null,
    };
}
