using System.Text.Json;

namespace Theodore.Application.Tests.Support;

internal static class Json
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A filter whose $and nests <paramref name="depth"/> levels deep around one field condition.</summary>
    public static JsonElement NestedAnd(int depth)
    {
        var json = "{\"industry\":\"fintech\"}";
        for (var i = 0; i < depth; i++)
        {
            json = "{\"$and\":[" + json + "]}";
        }

        return Parse(json);
    }

    public static JsonElement InList(int count) =>
        Parse("{\"country\":{\"$in\":[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"c{i}\"")) + "]}}");

    /// <summary>Metadata whose compact JSON form is a little over <paramref name="bytes"/> bytes.</summary>
    public static JsonElement MetadataOfSize(int bytes) => Parse("{\"description\":\"" + new string('x', bytes) + "\"}");
}
