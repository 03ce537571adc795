using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Theodore.Pinecone.Fake;

public sealed partial class PineconeFake
{
    private const int MaxVectorsPerUpsert = 1000;
    private const int MaxIdsPerRequest = 1000;
    private const int MaxMetadataBytes = 40 * 1024;
    private const int MaxIdLength = 512;
    private const int MaxListLimit = 100;

    private static FakeResponse ServeData(FakeIndex index, string operation, IQueryCollection query, string body) => operation switch
    {
        "upsertVectors" => Upsert(index, Parse(body)),
        "queryVectors" => Query(index, Parse(body)),
        "fetchVectors" => Fetch(index, query),
        "deleteVectors" => Delete(index, Parse(body)),
        "updateVector" => Update(index, Parse(body)),
        "listVectors" => List(index, query),
        "describeIndexStats" => Stats(index, Parse(body)),
        _ => Error("data", 404, $"the fake does not serve {operation}"),
    };

    private static JsonObject Parse(string body) => JsonNode.Parse(body) as JsonObject ?? throw new FakeBadRequest("the body must be a JSON object");

    private static string NamespaceOf(JsonNode? node) => NamespaceOf(node?.GetValue<string>());

    private static string NamespaceOf(string? ns) => ns is null or "__default__" ? string.Empty : ns;

    private static FakeResponse Ok(JsonObject json) => new(200, json.ToJsonString());

    private static FakeResponse Upsert(FakeIndex index, JsonObject body)
    {
        var vectors = body["vectors"]!.AsArray();
        if (vectors.Count == 0 || vectors.Count > MaxVectorsPerUpsert)
        {
            throw new FakeBadRequest($"An upsert takes 1 to {MaxVectorsPerUpsert} vectors, got {vectors.Count}");
        }

        var records = vectors.Select(v => Record(index, v!.AsObject())).ToList();
        var ns = NamespaceOf(body["namespace"]);
        index.Write(namespaces =>
        {
            var target = FakeIndex.Namespace(namespaces, ns);
            foreach (var record in records)
            {
                target[record.Id] = record;
            }
        });
        return Ok(new JsonObject { ["upsertedCount"] = records.Count });
    }

    private static FakeRecord Record(FakeIndex index, JsonObject vector)
    {
        var id = vector["id"]!.GetValue<string>();
        CheckId(id);
        if (vector["sparseValues"] is not null)
        {
            throw new FakeBadRequest("Sparse values are not supported by a dense index of this fake");
        }

        var values = Values(vector["values"]) ?? throw new FakeBadRequest($"Vector {id} has no values");
        CheckDimension(index, values.Length);
        if (values.All(v => v == 0))
        {
            throw new FakeBadRequest($"Dense vectors must contain at least one non-zero value (vector id '{id}')");
        }

        var metadata = vector["metadata"] as JsonObject;
        CheckMetadata(id, metadata);
        return new FakeRecord(id, values, metadata?.DeepClone().AsObject());
    }

    private static void CheckId(string id)
    {
        if (id.Length is 0 or > MaxIdLength)
        {
            throw new FakeBadRequest($"Vector ID must be 1 to {MaxIdLength} characters long");
        }
    }

    private static void CheckDimension(FakeIndex index, int length)
    {
        if (length != index.Dimension)
        {
            throw new FakeBadRequest($"Vector dimension {length} does not match the dimension of the index {index.Dimension}");
        }
    }

    private static float[]? Values(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            return null;
        }

        var values = new float[array.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)array[i]!.GetValue<double>();
        }

        return values;
    }

    private static void CheckMetadata(string id, JsonObject? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (Encoding.UTF8.GetByteCount(metadata.ToJsonString()) > MaxMetadataBytes)
        {
            throw new FakeBadRequest($"Metadata size exceeds the limit of {MaxMetadataBytes} bytes per vector (vector id '{id}')");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.StartsWith('$'))
            {
                throw new FakeBadRequest($"Metadata keys must not start with '$': '{key}'");
            }

            var valid = value?.GetValueKind() switch
            {
                JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
                JsonValueKind.Array => value.AsArray().All(e => e?.GetValueKind() == JsonValueKind.String),
                _ => false,
            };
            if (!valid)
            {
                throw new FakeBadRequest($"Metadata value of '{key}' must be a string, number, boolean or list of strings (null is not supported)");
            }
        }
    }

    private static FakeResponse Query(FakeIndex index, JsonObject body)
    {
        var topK = body["topK"]!.GetValue<int>();
        if (body["queries"] is not null)
        {
            throw new FakeBadRequest("queries is deprecated; send vector or id");
        }

        var vector = Values(body["vector"]);
        var id = body["id"]?.GetValue<string>();
        if ((vector is null) == (id is null))
        {
            throw new FakeBadRequest("Exactly one of vector or id must be provided");
        }

        if (vector is not null)
        {
            CheckDimension(index, vector.Length);
        }

        var filter = body["filter"] as JsonObject;
        if (filter is not null)
        {
            FakeFilter.Validate(filter);
        }

        var ns = NamespaceOf(body["namespace"]);
        var includeValues = body["includeValues"]?.GetValue<bool>() ?? false;
        var includeMetadata = body["includeMetadata"]?.GetValue<bool>() ?? false;
        var matches = index.Read(namespaces =>
        {
            if (!namespaces.TryGetValue(ns, out var records))
            {
                return [];
            }

            var query = vector;
            if (id is not null)
            {
                if (!records.TryGetValue(id, out var self))
                {
                    return [];
                }

                query = self.Values;
            }

            return records.Values
                .Where(r => filter is null || FakeFilter.Matches(filter, r.Metadata))
                .Select(r => (Record: r, Score: Score(index.Metric, query!, r.Values)))
                .OrderBy(m => index.Metric == "euclidean" ? m.Score : -m.Score)
                .ThenBy(m => m.Record.Id, Utf8Order.Instance)
                .Take(topK)
                .ToList();
        });

        var json = new JsonArray();
        foreach (var (record, score) in matches)
        {
            var match = new JsonObject { ["id"] = record.Id, ["score"] = (float)score, ["values"] = includeValues ? Array(record.Values) : new JsonArray() };
            if (includeMetadata && record.Metadata is not null)
            {
                match["metadata"] = record.Metadata.DeepClone();
            }

            json.Add(match);
        }

        return Ok(new JsonObject { ["matches"] = json, ["namespace"] = ns, ["usage"] = new JsonObject { ["readUnits"] = 1 + (matches.Count / 10) } });
    }

    /// <summary>Pinecone's score: cosine similarity, the dot product, or for euclidean the squared L2 distance (lower is closer).</summary>
    private static double Score(string metric, float[] query, float[] candidate)
    {
        double dot = 0, qq = 0, cc = 0, squared = 0;
        for (var i = 0; i < query.Length; i++)
        {
            dot += (double)query[i] * candidate[i];
            qq += (double)query[i] * query[i];
            cc += (double)candidate[i] * candidate[i];
            var diff = (double)query[i] - candidate[i];
            squared += diff * diff;
        }

        return metric switch
        {
            "euclidean" => squared,
            "dotproduct" => dot,
            _ => qq == 0 || cc == 0 ? 0 : dot / (Math.Sqrt(qq) * Math.Sqrt(cc)),
        };
    }

    private static JsonArray Array(float[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static FakeResponse Fetch(FakeIndex index, IQueryCollection query)
    {
        var ids = query["ids"].Where(i => i is not null).Select(i => i!).ToList();
        if (ids.Count == 0 || ids.Count > MaxIdsPerRequest)
        {
            throw new FakeBadRequest($"A fetch takes 1 to {MaxIdsPerRequest} ids, got {ids.Count}");
        }

        ids.ForEach(CheckId);
        var ns = NamespaceOf(query["namespace"].FirstOrDefault());
        var found = index.Read(namespaces => namespaces.TryGetValue(ns, out var records)
            ? ids.Distinct(StringComparer.Ordinal).Select(id => records.GetValueOrDefault(id)).Where(r => r is not null).Select(r => r!).ToList()
            : []);
        var vectors = new JsonObject();
        foreach (var record in found)
        {
            var vector = new JsonObject { ["id"] = record.Id, ["values"] = Array(record.Values) };
            if (record.Metadata is not null)
            {
                vector["metadata"] = record.Metadata.DeepClone();
            }

            vectors[record.Id] = vector;
        }

        return Ok(new JsonObject { ["vectors"] = vectors, ["namespace"] = ns, ["usage"] = new JsonObject { ["readUnits"] = 1 } });
    }

    private static FakeResponse Delete(FakeIndex index, JsonObject body)
    {
        var ids = body["ids"] as JsonArray;
        var all = body["deleteAll"]?.GetValue<bool>() ?? false;
        var filter = body["filter"] as JsonObject;
        if ((ids is not null ? 1 : 0) + (all ? 1 : 0) + (filter is not null ? 1 : 0) != 1)
        {
            throw new FakeBadRequest("Exactly one of ids, deleteAll or filter must be provided");
        }

        if (ids is not null && (ids.Count == 0 || ids.Count > MaxIdsPerRequest))
        {
            throw new FakeBadRequest($"A delete takes 1 to {MaxIdsPerRequest} ids, got {ids.Count}");
        }

        if (filter is not null)
        {
            FakeFilter.Validate(filter);
        }

        var ns = NamespaceOf(body["namespace"]);
        var doomed = ids?.Select(i => i!.GetValue<string>()).ToList();
        index.Write(namespaces =>
        {
            if (!namespaces.TryGetValue(ns, out var records))
            {
                return;
            }

            var remove = doomed ?? (all ? [.. records.Keys] : records.Values.Where(r => FakeFilter.Matches(filter!, r.Metadata)).Select(r => r.Id).ToList());
            foreach (var id in remove)
            {
                records.Remove(id);
            }

            if (records.Count == 0)
            {
                namespaces.Remove(ns);
            }
        });
        return Ok([]);
    }

    private static FakeResponse Update(FakeIndex index, JsonObject body)
    {
        var id = body["id"]?.GetValue<string>();
        var filter = body["filter"] as JsonObject;
        if ((id is null) == (filter is null))
        {
            throw new FakeBadRequest("Exactly one of id or filter must be provided");
        }

        var ns = NamespaceOf(body["namespace"]);
        var set = body["setMetadata"] as JsonObject;
        CheckMetadata(id ?? "(filter)", set);
        var values = Values(body["values"]);
        if (values is not null)
        {
            if (filter is not null)
            {
                throw new FakeBadRequest("values cannot be updated by filter");
            }

            CheckDimension(index, values.Length);
        }

        if (filter is not null)
        {
            FakeFilter.Validate(filter);
            var matched = index.Read(namespaces => namespaces.TryGetValue(ns, out var records) ? records.Values.Count(r => FakeFilter.Matches(filter, r.Metadata)) : 0);
            if (body["dryRun"]?.GetValue<bool>() != true && set is not null)
            {
                index.Write(namespaces =>
                {
                    if (namespaces.TryGetValue(ns, out var records))
                    {
                        foreach (var record in records.Values.Where(r => FakeFilter.Matches(filter, r.Metadata)).ToList())
                        {
                            records[record.Id] = record with { Metadata = Merge(record.Metadata, set) };
                        }
                    }
                });
            }

            return Ok(new JsonObject { ["matchedRecords"] = matched });
        }

        index.Write(namespaces =>
        {
            if (namespaces.TryGetValue(ns, out var records) && records.TryGetValue(id!, out var record))
            {
                records[id!] = record with { Values = values ?? record.Values, Metadata = set is null ? record.Metadata : Merge(record.Metadata, set) };
            }
        });
        return Ok([]);
    }

    private static JsonObject Merge(JsonObject? metadata, JsonObject set)
    {
        var merged = metadata?.DeepClone().AsObject() ?? [];
        foreach (var (key, value) in set)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private static FakeResponse List(FakeIndex index, IQueryCollection query)
    {
        var limit = MaxListLimit;
        if (query["limit"].FirstOrDefault() is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxListLimit))
        {
            throw new FakeBadRequest($"limit must be between 1 and {MaxListLimit}");
        }

        string? after = null;
        if (query["paginationToken"].FirstOrDefault() is { Length: > 0 } token)
        {
            try
            {
                after = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            }
            catch (FormatException)
            {
                throw new FakeBadRequest("Invalid pagination token");
            }
        }

        var prefix = query["prefix"].FirstOrDefault() ?? string.Empty;
        var ns = NamespaceOf(query["namespace"].FirstOrDefault());
        var (ids, more) = index.Read(namespaces =>
        {
            if (!namespaces.TryGetValue(ns, out var records))
            {
                return (new List<string>(), false);
            }

            var candidates = records.Keys
                .Where(id => id.StartsWith(prefix, StringComparison.Ordinal) && (after is null || Utf8Order.Instance.Compare(id, after) > 0))
                .Take(limit + 1)
                .ToList();
            return (candidates.Take(limit).ToList(), candidates.Count > limit);
        });
        var json = new JsonObject
        {
            ["vectors"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject { ["id"] = id })]),
            ["namespace"] = ns,
            ["usage"] = new JsonObject { ["readUnits"] = 1 },
        };
        if (more)
        {
            json["pagination"] = new JsonObject { ["next"] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ids[^1])) };
        }

        return Ok(json);
    }

    private static FakeResponse Stats(FakeIndex index, JsonObject body)
    {
        if (body["filter"] is not null)
        {
            throw new FakeBadRequest("Serverless indexes do not support filtering describe_index_stats by metadata");
        }

        var counts = index.Counts;
        return Ok(new JsonObject
        {
            ["namespaces"] = new JsonObject([.. counts.Select(c => new KeyValuePair<string, JsonNode?>(c.Key, new JsonObject { ["vectorCount"] = c.Value }))]),
            ["dimension"] = index.Dimension,
            ["indexFullness"] = 0,
            ["totalVectorCount"] = counts.Values.Sum(),
            ["metric"] = index.Metric,
            ["vectorType"] = "dense",
        });
    }
}
