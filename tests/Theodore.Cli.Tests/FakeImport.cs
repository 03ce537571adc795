using System.Text.Json;
using System.Text.Json.Nodes;

namespace Theodore.Cli.Tests;

/// <summary>The import endpoint as docs/companies.md describes it, for an NDJSON body: each line checked on its own.</summary>
public static class FakeImport
{
    public static HttpResponseMessage Answer(RecordedRequest request)
    {
        var lines = request.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var results = new JsonArray();
        var (created, failed) = (0, 0);
        for (var i = 0; i < lines.Length; i++)
        {
            JsonNode? company = null;
            try
            {
                company = JsonNode.Parse(lines[i]);
            }
            catch (JsonException)
            {
            }

            var id = company is JsonObject o && o["id"] is JsonValue v ? v.GetValue<string>() : null;
            var name = company is JsonObject n ? n["name"] : null;
            if (company is null || name is null)
            {
                failed++;
                results.Add(new JsonObject
                {
                    ["index"] = i,
                    ["id"] = id,
                    ["status"] = "failed",
                    ["errors"] = new JsonArray(new JsonObject
                    {
                        ["path"] = company is null ? "" : "name",
                        ["code"] = "invalid_request",
                        ["message"] = company is null ? "the line is not JSON" : "name is required",
                    }),
                });
            }
            else
            {
                created++;
                results.Add(new JsonObject { ["index"] = i, ["id"] = id, ["status"] = "created" });
            }
        }

        var answer = new JsonObject
        {
            ["results"] = results,
            ["summary"] = new JsonObject
            {
                ["total"] = lines.Length,
                ["created"] = created,
                ["updated"] = 0,
                ["unchanged"] = 0,
                ["failed"] = failed,
                ["durationMs"] = 3,
            },
        };
        return FakeApi.Json(answer.ToJsonString());
    }
}
