using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Theodore.Api.Errors;
using Theodore.Api.Hosting;

namespace Theodore.Api.Security;

/// <summary>
/// Optional API-key authentication on the <c>Api-Key</c> header: 401 without a valid key, 403 when a read-only key
/// writes or calls an admin-only endpoint. Off when no keys are configured. Health probes and the API description
/// stay open. Keys are compared in constant time on their SHA-256 digests and never logged.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    public const string HeaderName = "Api-Key";
    public const string ClientItemKey = "theodore.client";

    private readonly (string Name, byte[] Digest, bool ReadOnly)[] _keys =
        [.. options.Value.Keys.Select(k => (k.Name, SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k.ReadOnly))];

    public async Task InvokeAsync(HttpContext context, ProblemWriter problems)
    {
        if (_keys.Length == 0 || IsOpen(context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var presented = context.Request.Headers[HeaderName].ToString();
        var key = presented.Length == 0 ? default : Find(presented);
        if (key.Name is null)
        {
            context.Response.Headers.WWWAuthenticate = HeaderName;
            await problems.WriteAsync(context, StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthorized,
                presented.Length == 0 ? $"An API key is required in the {HeaderName} header." : "The API key is not valid.").ConfigureAwait(false);
            return;
        }

        if (key.ReadOnly && IsWrite(context))
        {
            await problems.WriteAsync(context, StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden,
                $"The API key '{key.Name}' is read-only and cannot change data.").ConfigureAwait(false);
            return;
        }

        context.Items[ClientItemKey] = key.Name;
        await next(context).ConfigureAwait(false);
    }

    internal static bool IsOpen(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    private static bool IsWrite(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<RequireAdminKeyAttribute>() is not null)
        {
            return true;
        }

        return !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
            && metadata?.GetMetadata<AllowReadOnlyKeyAttribute>() is null;
    }

    private (string Name, byte[] Digest, bool ReadOnly) Find(string presented)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        (string Name, byte[] Digest, bool ReadOnly) found = default;
        foreach (var key in _keys)
        {
            // every key is compared, so timing does not tell which one almost matched
            if (CryptographicOperations.FixedTimeEquals(digest, key.Digest))
            {
                found = key;
            }
        }

        return found;
    }
}
