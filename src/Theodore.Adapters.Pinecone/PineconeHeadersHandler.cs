using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// Adds the two headers every Pinecone operation requires: <c>Api-Key</c> and <c>X-Pinecone-Api-Version</c>. The key is
/// read from the options on each request, so it never sits in a client's default headers where a dump would show it.
/// </summary>
internal sealed class PineconeHeadersHandler(IOptions<PineconeOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(PineconeConstants.ApiKeyHeader);
        request.Headers.TryAddWithoutValidation(PineconeConstants.ApiKeyHeader, options.Value.ApiKey);
        request.Headers.Remove(PineconeConstants.ApiVersionHeader);
        request.Headers.TryAddWithoutValidation(PineconeConstants.ApiVersionHeader, PineconeConstants.ApiVersion);
        return base.SendAsync(request, cancellationToken);
    }
}
