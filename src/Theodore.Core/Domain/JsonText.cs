using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Theodore.Core.Domain;

/// <summary>
/// Reads JSON strings and property names that may be hostile: an escaped surrogate without its pair
/// (<c>"\ud800"</c>) is valid JSON syntax but no .NET string, and System.Text.Json throws on reading it.
/// </summary>
internal static class JsonText
{
    public const string InvalidText = "text must be valid UTF-16; an escaped surrogate (\\ud800-\\udfff) is unpaired";

    public static bool TryGetString(JsonElement element, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    public static bool TryGetName(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }
}
