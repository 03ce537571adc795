using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Theodore.Api.Errors;

namespace Theodore.Api.Hosting;

/// <summary>
/// Refuses bodies over <see cref="ApiOptions.MaxRequestBodyBytes"/> with 413 before they are read: at once when
/// Content-Length says so, and through the server's limit for chunked bodies (Kestrel stops reading at the limit).
/// An endpoint that reads its body as a stream (an import) sets its own limit, or none, with
/// <c>DisableRequestSizeLimit</c> / <c>WithRequestSizeLimit</c>; so this runs after routing.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext context, ProblemWriter problems)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } own ? own.MaxRequestBodySize : _limit;
        if (context.Request.ContentLength > limit)
        {
            await problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.PayloadTooLarge,
                $"The request body is {context.Request.ContentLength} bytes; the limit is {limit} bytes.").ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context).ConfigureAwait(false);
    }
}
