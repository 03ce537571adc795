using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace Theodore.Pinecone.Fake;

public sealed partial class PineconeFake
{
    private static readonly string[] Metrics = ["cosine", "euclidean", "dotproduct"];
    private static readonly string[] Clouds = ["aws", "gcp", "azure"];

    private async Task<FakeResponse> ServeControlAsync(string operation, string path, string body) => operation switch
    {
        "create_index" => await CreateIndexAsync(JsonNode.Parse(body)!.AsObject()).ConfigureAwait(false),
        "describe_index" => Describe(IndexNameOf(path)),
        "list_indexes" => ListIndexes(),
        "delete_index" => DeleteIndex(IndexNameOf(path)),
        _ => Error("control", 404, $"the fake does not serve {operation}", "NOT_FOUND"),
    };

    private static string IndexNameOf(string path) => Uri.UnescapeDataString(path["/indexes/".Length..]);

    private async Task<FakeResponse> CreateIndexAsync(JsonObject body)
    {
        var name = body["name"]!.GetValue<string>();
        if (!IndexNamePattern().IsMatch(name))
        {
            throw new FakeBadRequest("Name must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
        }

        var vectorType = body["vector_type"]?.GetValue<string>() ?? "dense";
        if (vectorType != "dense")
        {
            throw new FakeBadRequest("the fake serves dense indexes only");
        }

        var dimension = body["dimension"]?.GetValue<int>() ?? throw new FakeBadRequest("Dimension must be provided for dense indexes");
        var metric = body["metric"]?.GetValue<string>() ?? "cosine";
        if (!Metrics.Contains(metric, StringComparer.Ordinal))
        {
            throw new FakeBadRequest($"Invalid metric '{metric}': use cosine, euclidean or dotproduct");
        }

        var serverless = body["spec"]?["serverless"] as JsonObject ?? throw new FakeBadRequest("the fake serves serverless indexes only");
        var cloud = serverless["cloud"]!.GetValue<string>();
        var region = serverless["region"]!.GetValue<string>();
        if (!Clouds.Contains(cloud, StringComparer.Ordinal) || region.Length == 0)
        {
            return Error("control", 404, $"Resource cloud: {cloud} region: {region} not found.", "NOT_FOUND");
        }

        var tags = body["tags"]?.AsObject().ToDictionary(t => t.Key, t => t.Value!.GetValue<string>(), StringComparer.Ordinal);
        foreach (var (key, value) in tags ?? [])
        {
            if (key.Length > 80 || !TagKeyPattern().IsMatch(key))
            {
                throw new FakeBadRequest($"Tag key '{key}' must be 80 characters or less and alphanumeric, '_' or '-'");
            }

            if (value.Length > 120 || !TagValuePattern().IsMatch(value))
            {
                throw new FakeBadRequest($"Tag value of '{key}' must be 120 characters or less and alphanumeric, ';', '@', '_', '-', '.', '+' or ' '");
            }
        }

        var protection = body["deletion_protection"]?.GetValue<string>() ?? "disabled";
        await _createGate.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_catalogGate)
            {
                if (_indexes.ContainsKey(name))
                {
                    return Error("control", 409, "Resource already exists.", "ALREADY_EXISTS");
                }
            }

            var index = new FakeIndex(name, dimension, metric, tags, protection, cloud, region, _time.GetUtcNow() + _options.IndexReadyDelay, _time, _options.VisibilityDelay);
            var (app, endpoint) = await StartServerAsync("data", index, CancellationToken.None).ConfigureAwait(false);
            index.Host = endpoint.Authority;
            lock (_catalogGate)
            {
                _indexes[name] = index;
                _dataServers[name] = app;
            }

            return new FakeResponse(201, Model(index).ToJsonString());
        }
        finally
        {
            _createGate.Release();
        }
    }

    private FakeResponse Describe(string name)
    {
        var index = FindIndex(name);
        return index is null
            ? Error("control", 404, $"Index {name} not found.", "NOT_FOUND")
            : new FakeResponse(200, Model(index).ToJsonString());
    }

    private FakeResponse ListIndexes() =>
        new(200, new JsonObject { ["indexes"] = new JsonArray([.. Indexes.Select(i => (JsonNode)Model(i))]) }.ToJsonString());

    private FakeResponse DeleteIndex(string name)
    {
        WebApplication? server;
        lock (_catalogGate)
        {
            if (!_indexes.TryGetValue(name, out var index))
            {
                return Error("control", 404, $"Index {name} not found.", "NOT_FOUND");
            }

            if (index.DeletionProtection == "enabled")
            {
                return Error("control", 403, "Deletion protection is enabled for this index. Disable deletion protection before retrying.", "FORBIDDEN");
            }

            _indexes.Remove(name);
            _dataServers.Remove(name, out server);
        }

        if (server is not null)
        {
            lock (_logGate)
            {
                _stopping.Add(Task.Run(() => StopAsync(server)));
            }
        }

        return new FakeResponse(202, null);
    }

    private static JsonObject Model(FakeIndex index)
    {
        var model = new JsonObject
        {
            ["name"] = index.Name,
            ["dimension"] = index.Dimension,
            ["metric"] = index.Metric,
            ["host"] = index.Host,
            ["deletion_protection"] = index.DeletionProtection,
            ["spec"] = new JsonObject
            {
                ["serverless"] = new JsonObject
                {
                    ["cloud"] = index.Cloud,
                    ["region"] = index.Region,
                    ["read_capacity"] = new JsonObject { ["mode"] = "OnDemand", ["status"] = new JsonObject { ["state"] = "Ready" } },
                },
            },
            ["status"] = new JsonObject { ["ready"] = index.IsReady, ["state"] = index.IsReady ? "Ready" : "Initializing" },
            ["vector_type"] = "dense",
        };
        if (index.Tags is not null)
        {
            model["tags"] = new JsonObject([.. index.Tags.Select(t => new KeyValuePair<string, JsonNode?>(t.Key, t.Value))]);
        }

        return model;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,43}[a-z0-9])?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex IndexNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TagKeyPattern();

    [GeneratedRegex("^[A-Za-z0-9;@_.+ -]*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TagValuePattern();
}
