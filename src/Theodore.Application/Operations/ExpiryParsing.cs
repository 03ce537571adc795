using System.Globalization;
using Theodore.Application.Common;

namespace Theodore.Application.Operations;

/// <summary>
/// A record's expiry from the two ways a caller may give it: <c>expiresAt</c> (ISO 8601; UTC when no offset is given)
/// or <c>ttlSeconds</c> from now. Never both. An instant in the past is accepted: the record is invisible at once.
/// </summary>
internal static class ExpiryParsing
{
    /// <summary>Ten years: longer is a mistake (milliseconds for seconds), and "never" is no expiry at all.</summary>
    public const long MaxTtlSeconds = 10L * 365 * 24 * 3600;

    /// <summary>The expiry, or null for none; problems are added at <paramref name="prefix"/><c>expiresAt</c> / <c>ttlSeconds</c>.</summary>
    public static DateTimeOffset? Expiry(this RequestParser parser, string? expiresAt, long? ttlSeconds, DateTimeOffset now, string prefix = "")
    {
        if (expiresAt is not null && ttlSeconds is not null)
        {
            parser.Add(prefix + "ttlSeconds", "give either expiresAt or ttlSeconds, not both");
            return null;
        }

        if (ttlSeconds is { } ttl)
        {
            if (ttl is < 1 or > MaxTtlSeconds)
            {
                parser.Add(prefix + "ttlSeconds", $"must be between 1 and {MaxTtlSeconds} seconds, got {ttl}");
                return null;
            }

            return now.AddSeconds(ttl);
        }

        if (expiresAt is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        parser.Add(prefix + "expiresAt", $"must be an ISO 8601 date and time such as 2030-01-31T12:00:00Z, got '{expiresAt}'");
        return null;
    }
}
