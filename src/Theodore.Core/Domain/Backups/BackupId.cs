using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain.Backups;

/// <summary>
/// A backup's id: its UTC creation time to the millisecond and a random suffix, e.g. <c>20261121T075306123Z-3fa9c1</c>.
/// Ordinal order is creation order, so a directory listing sorts backups by age; the id is also a safe directory name.
/// </summary>
public sealed record BackupId : IComparable<BackupId>
{
    public const int Length = 26;

    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff'Z'";
    private const int TimeLength = 19;
    private const int SuffixLength = 6;

    private BackupId(string value, DateTimeOffset createdAt)
    {
        Value = value;
        CreatedAt = createdAt;
    }

    public string Value { get; }

    /// <summary>When the backup was started (UTC), read from the id.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>A new id for a backup started at <paramref name="now"/>.</summary>
    public static BackupId New(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[SuffixLength / 2];
        RandomNumberGenerator.Fill(random);
        var time = now.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture);
        return Parse($"{time}-{Convert.ToHexStringLower(random)}");
    }

    public static BackupId Parse(string? value, string path = "backup") =>
        TryParse(value, out var id, out var error) ? id : throw new InvalidRequestException(path, error);

    public static bool TryParse(string? value, [NotNullWhen(true)] out BackupId? id, [NotNullWhen(false)] out string? error)
    {
        id = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "a backup id is required";
            return false;
        }

        if (value.Length != Length
            || value[TimeLength] != '-'
            || !IsLowerHex(value.AsSpan(TimeLength + 1))
            || !DateTimeOffset.TryParseExact(value.AsSpan(0, TimeLength), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var createdAt))
        {
            error = "a backup id looks like 20261121T075306123Z-3fa9c1 (UTC time to the millisecond, '-', 6 lowercase hex digits)";
            return false;
        }

        error = null;
        id = new BackupId(value, createdAt);
        return true;
    }

    public int CompareTo(BackupId? other) => other is null ? 1 : string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;

    public static bool operator <(BackupId? left, BackupId? right) => Compare(left, right) < 0;

    public static bool operator <=(BackupId? left, BackupId? right) => Compare(left, right) <= 0;

    public static bool operator >(BackupId? left, BackupId? right) => Compare(left, right) > 0;

    public static bool operator >=(BackupId? left, BackupId? right) => Compare(left, right) >= 0;

    private static int Compare(BackupId? left, BackupId? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
