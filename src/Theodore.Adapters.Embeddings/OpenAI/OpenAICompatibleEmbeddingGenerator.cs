using System.ClientModel;
using System.ClientModel.Primitives;
using global::OpenAI;
using global::OpenAI.Embeddings;
using Microsoft.Extensions.AI;
using Theodore.Adapters.Embeddings.Remote;

namespace Theodore.Adapters.Embeddings.OpenAI;

/// <summary>
/// Any OpenAI-compatible <c>/embeddings</c> endpoint through Microsoft.Extensions.AI.OpenAI. The OpenAI client's own
/// retries are off: its transport is an HttpClient from <see cref="IHttpClientFactory"/> whose standard resilience
/// handler retries (429 honouring <c>Retry-After</c>, 5xx, timeouts), so a request is never retried two layers deep.
/// </summary>
internal sealed class OpenAICompatibleEmbeddingGenerator(RemoteModel model, Func<HttpClient> httpClient)
    : RemoteEmbeddingGenerator(model, EmbeddingProviders.OpenAIProviderName, "OpenAI-compatible endpoint " + model.BaseUrl.GetLeftPart(UriPartial.Authority))
{
    // A loopback server without keys (Ollama, vLLM) ignores the header; the client insists on a credential.
    private const string NoKey = "no-key";

    protected override async Task<IReadOnlyList<float[]>> EmbedBatchAsync(string[] batch, bool isQuery, CancellationToken cancellationToken)
    {
        // OpenAI's embedding models are symmetric: queries and documents are embedded alike (isQuery was checked).
        using var http = httpClient();
        using var transport = new HttpClientPipelineTransport(http);
        var options = new OpenAIClientOptions
        {
            Endpoint = Model.BaseUrl,
            Transport = transport,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),

            // The resilience handler's timeouts decide; this one only backs them up.
            NetworkTimeout = TimeSpan.FromMinutes(10),
        };
        var client = new EmbeddingClient(Model.ModelId, new ApiKeyCredential(string.IsNullOrEmpty(Model.ApiKey) ? NoKey : Model.ApiKey), options);
        using var generator = client.AsIEmbeddingGenerator(Model.SendDimensions ? Model.Dimension : null);
        var embeddings = await generator.GenerateAsync(batch, options: null, cancellationToken).ConfigureAwait(false);
        return embeddings.Select(e => e.Vector.ToArray()).ToArray();
    }

    protected override EmbeddingProviderException? MapProviderError(Exception error)
    {
        if (error is not ClientResultException result)
        {
            return null;
        }

        var response = result.GetRawResponse();
        if (result.Status == 0 || response is null)
        {
            // No answer: the transport wraps the connection failure.
            return RemoteErrors.Unreachable(DisplayName, ProviderName, Model.ModelId, result.InnerException?.Message ?? "no answer.", Model.ApiKey);
        }

        string? body;
        try
        {
            body = response.Content.ToString();
        }
        catch (InvalidOperationException)
        {
            body = null;
        }

        response.Headers.TryGetValue("Retry-After", out var retryAfter);
        return RemoteErrors.FromStatus(DisplayName, ProviderName, Model.ModelId, result.Status, body, retryAfter, Model.ApiKey);
    }
}
