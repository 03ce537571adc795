using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Theodore.Api.Errors;
using Theodore.Api.Security;

namespace Theodore.Api.Hosting;

/// <summary>
/// A fixed window per client (the API key's name, or the remote address); rejected calls get 429 with
/// <c>Retry-After</c> and problem details. Health probes, the metrics scrape and the API docs are never limited.
/// </summary>
/// <remarks>
/// The limiter is <see cref="PartitionedRateLimiter"/> from System.Threading.RateLimiting, owned by the container and
/// disposed with it. ASP.NET Core's <c>UseRateLimiter()</c> is not used: its middleware creates a partitioned limiter
/// whose timer is never stopped (dotnet/aspnetcore#66434), which keeps every disposed application reachable; a
/// process that builds many hosts (the API test suite) ran out of memory on it (ADR 0022).
/// </remarks>
internal static class RateLimiting
{
    public static IServiceCollection AddTheodoreRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<ClientRateLimiter>();
        return services;
    }

    public static IApplicationBuilder UseTheodoreRateLimiting(this IApplicationBuilder app) =>
        app.UseMiddleware<RateLimitMiddleware>();
}

/// <summary>The per-client fixed windows; null when rate limiting is off.</summary>
internal sealed class ClientRateLimiter : IDisposable, IAsyncDisposable
{
    public ClientRateLimiter(IOptions<ApiOptions> options)
    {
        Options = options.Value.RateLimit;
        if (Options.Enabled)
        {
            var window = new FixedWindowRateLimiterOptions
            {
                PermitLimit = Options.PermitLimit,
                Window = TimeSpan.FromSeconds(Options.WindowSeconds),
                QueueLimit = 0,
            };
            Limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => window));
        }
    }

    public RateLimitOptions Options { get; }

    public PartitionedRateLimiter<string>? Limiter { get; }

    public void Dispose() => Limiter?.Dispose();

    public ValueTask DisposeAsync() => Limiter?.DisposeAsync() ?? ValueTask.CompletedTask;
}

internal sealed class RateLimitMiddleware(RequestDelegate next, ClientRateLimiter limiter, ProblemWriter problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (limiter.Limiter is null || ApiKeyMiddleware.IsOpen(context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var client = context.Items[ApiKeyMiddleware.ClientItemKey] as string
            ?? context.Connection.RemoteIpAddress?.ToString()
            ?? "anonymous";
        using var lease = limiter.Limiter.AttemptAcquire(client);
        if (lease.IsAcquired)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var options = limiter.Options;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(options.WindowSeconds);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, Core.Errors.ErrorCodes.RateLimited,
            $"Rate limit of {options.PermitLimit} requests per {options.WindowSeconds} s exceeded; retry after {seconds} s.").ConfigureAwait(false);
    }
}
