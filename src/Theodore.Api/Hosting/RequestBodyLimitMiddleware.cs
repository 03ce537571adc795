using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Theodore.Api.Errors;

namespace Theodore.Api.Hosting;

/// <summary>
/// Refuses bodies over <see cref="ApiOptions.MaxRequestBodyBytes"/> with 413 before they are read: at once when
/// Content-Length says so, and through the server's limit for chunked bodies (Kestrel stops reading at the limit).
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext context, ProblemWriter problems)
    {
        if (context.Request.ContentLength > _limit)
        {
            await problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.PayloadTooLarge,
                $"The request body is {context.Request.ContentLength} bytes; the limit is {_limit} bytes.").ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = _limit;
        }

        await next(context).ConfigureAwait(false);
    }
}
