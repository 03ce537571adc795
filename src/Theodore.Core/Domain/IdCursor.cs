using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>
/// The opaque cursor of id-ordered listings: base64url of a backend's marker and the last id returned. The marker keeps
/// a cursor from one backend from being mistaken for another's; a cursor this backend did not write is refused.
/// </summary>
public static class IdCursor
{
    public static string Encode(string marker, string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(marker + lastId));

    /// <summary>The last id the cursor names; <see cref="InvalidRequestException"/> on path <c>cursor</c> for anything else.</summary>
    public static string Decode(string marker, string cursor, string systemName) =>
        TryDecode(marker, cursor, out var id)
            ? id
            : throw new InvalidRequestException("cursor", "is not a cursor this backend returned") { SystemName = systemName, Operation = "List" };

    public static bool TryDecode(string marker, string cursor, [NotNullWhen(true)] out string? lastId)
    {
        ArgumentNullException.ThrowIfNull(marker);
        lastId = null;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return false;
        }

        if (!text.StartsWith(marker, StringComparison.Ordinal) || !VectorId.TryParse(text[marker.Length..], out var id, out _))
        {
            return false;
        }

        lastId = id.Value;
        return true;
    }
}
