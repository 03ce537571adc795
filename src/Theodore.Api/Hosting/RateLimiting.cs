using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Theodore.Api.Errors;
using Theodore.Api.Security;

namespace Theodore.Api.Hosting;

/// <summary>
/// A fixed window per client (the API key's name, or the remote address) with the built-in limiter; rejected calls get
/// 429 with <c>Retry-After</c> and problem details. Health probes are never limited.
/// </summary>
internal static class RateLimiting
{
    public static IServiceCollection AddTheodoreRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var options = Options(context);
                if (!options.Enabled || ApiKeyMiddleware.IsOpen(context.Request.Path))
                {
                    return RateLimitPartition.GetNoLimiter("open");
                }

                var client = context.Items[ApiKeyMiddleware.ClientItemKey] as string
                    ?? context.Connection.RemoteIpAddress?.ToString()
                    ?? "anonymous";
                return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var options = Options(rejected.HttpContext);
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(options.WindowSeconds);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problems = rejected.HttpContext.RequestServices.GetRequiredService<ProblemWriter>();
                await problems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, Core.Errors.ErrorCodes.RateLimited,
                    $"Rate limit of {options.PermitLimit} requests per {options.WindowSeconds} s exceeded; retry after {seconds} s.").ConfigureAwait(false);
            };
        });
        return services;
    }

    private static RateLimitOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimit;
}
