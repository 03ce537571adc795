using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Embeddings.Cohere;

/// <summary>
/// Adds <c>Authorization: Bearer KEY</c> to each request, read from the options then, so the key never sits in a
/// client's default headers where a dump would show it.
/// </summary>
internal sealed class CohereAuthHandler(IOptions<CohereEmbeddingOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ApiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
