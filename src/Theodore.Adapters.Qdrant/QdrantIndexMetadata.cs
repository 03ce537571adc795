using System.Globalization;
using Qdrant.Client.Grpc;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// Theodore's index definition round-trips through the collection's own <c>metadata</c> (CreateCollection field 18,
/// returned in CollectionConfig.metadata), under one key <see cref="Key"/>, so any process describing the collection
/// reconstructs the embedding contract, HNSW options and creation time. Dimension and metric are always read from the
/// vector parameters, the server's truth. A collection Theodore did not create (no such key) is described from its
/// vector parameters alone.
/// </summary>
internal static class QdrantIndexMetadata
{
    public const string Key = "theodore";

    public static Distance ToDistance(DistanceMetric metric) => metric switch
    {
        DistanceMetric.Cosine => Distance.Cosine,
        DistanceMetric.Euclidean => Distance.Euclid,
        DistanceMetric.DotProduct => Distance.Dot,
        DistanceMetric.Manhattan => Distance.Manhattan,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };

    public static DistanceMetric? FromDistance(Distance distance) => distance switch
    {
        Distance.Cosine => DistanceMetric.Cosine,
        Distance.Euclid => DistanceMetric.Euclidean,
        Distance.Dot => DistanceMetric.DotProduct,
        Distance.Manhattan => DistanceMetric.Manhattan,
        _ => null,
    };

    public static Value ToValue(IndexDefinition definition, DateTimeOffset createdAt)
    {
        var fields = new Struct();
        fields.Fields.Add("format", new Value { IntegerValue = 1 });
        fields.Fields.Add("dimension", new Value { IntegerValue = definition.Dimension });
        fields.Fields.Add("metric", new Value { StringValue = definition.Metric.ToString() });
        fields.Fields.Add("created_at", new Value { StringValue = createdAt.ToString("O", CultureInfo.InvariantCulture) });
        if (definition.Embedding is { } embedding)
        {
            fields.Fields.Add("embedding_model", new Value { StringValue = embedding.Model });
            fields.Fields.Add("embedding_version", new Value { StringValue = embedding.Version });
            fields.Fields.Add("embedding_normalize", new Value { BoolValue = embedding.Normalize });
        }

        if (definition.Hnsw is { } hnsw)
        {
            fields.Fields.Add("hnsw_m", new Value { IntegerValue = hnsw.M });
            fields.Fields.Add("hnsw_ef_construction", new Value { IntegerValue = hnsw.EfConstruction });
        }

        return new Value { StructValue = fields };
    }

    /// <summary>The definition of a collection with one unnamed dense vector, or null when Theodore cannot serve it.</summary>
    public static (IndexDefinition Definition, DateTimeOffset? CreatedAt)? FromInfo(IndexName name, CollectionInfo info)
    {
        var parameters = info.Config?.Params?.VectorsConfig;
        if (parameters?.ConfigCase != VectorsConfig.ConfigOneofCase.Params
            || FromDistance(parameters.Params.Distance) is not { } metric
            || parameters.Params.Size is < IndexDefinition.MinDimension or > IndexDefinition.MaxDimension)
        {
            return null;
        }

        EmbeddingContract? embedding = null;
        HnswOptions? hnsw = null;
        DateTimeOffset? createdAt = null;
        if (info.Config!.Metadata.TryGetValue(Key, out var stored) && stored.KindCase == Value.KindOneofCase.StructValue)
        {
            var f = stored.StructValue.Fields;
            if (Text(f, "embedding_model") is { } model && Text(f, "embedding_version") is { } version)
            {
                embedding = new EmbeddingContract(model, version, f.TryGetValue("embedding_normalize", out var n) && n.BoolValue);
            }

            if (Integer(f, "hnsw_m") is { } m && Integer(f, "hnsw_ef_construction") is { } ef)
            {
                hnsw = new HnswOptions((int)m, (int)ef);
            }

            if (Text(f, "created_at") is { } created && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
            {
                createdAt = at;
            }
        }

        return (new IndexDefinition(name, (int)parameters.Params.Size, metric, embedding, hnsw), createdAt);
    }

    private static string? Text(Google.Protobuf.Collections.MapField<string, Value> fields, string key) =>
        fields.TryGetValue(key, out var v) && v.KindCase == Value.KindOneofCase.StringValue ? v.StringValue : null;

    private static long? Integer(Google.Protobuf.Collections.MapField<string, Value> fields, string key) =>
        fields.TryGetValue(key, out var v)
            ? v.KindCase switch
            {
                Value.KindOneofCase.IntegerValue => v.IntegerValue,
                Value.KindOneofCase.DoubleValue => (long)v.DoubleValue,
                _ => null,
            }
            : null;
}
