using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// How a record lives in a point's payload. The user's metadata is nested whole under <see cref="MetadataKey"/>, so no
/// user key can collide with Theodore's own top-level keys and none has to be refused:
/// <list type="bullet">
/// <item><c>theodore_id</c>: the original id (points are named by a hash of it, see <see cref="QdrantPointIds"/>);</item>
/// <item><c>theodore_ns</c>: the namespace ("" for the default one), with a keyword tenant index;</item>
/// <item><c>theodore_keys</c>: the metadata keys present, so <c>$exists</c> means "the key is there" even for an empty
/// list (Qdrant's is_empty treats <c>[]</c> as empty);</item>
/// <item><c>theodore_text</c>: the string-valued (not list) fields again, so <c>$contains</c> can be a substring match on
/// strings and an element match on lists, as Theodore defines it (Qdrant's text match would look inside list elements);</item>
/// <item><c>metadata</c>: the metadata, numbers as doubles, lists as lists of strings.</item>
/// </list>
/// </summary>
internal static class QdrantPayload
{
    public const string IdKey = "theodore_id";
    public const string NamespaceKey = "theodore_ns";
    public const string KeysKey = "theodore_keys";
    public const string TextKey = "theodore_text";
    public const string MetadataKey = "metadata";

    public static PointStruct ToPoint(Namespace ns, VectorRecord record)
    {
        var dense = new DenseVector();
        dense.Data.Add(record.Values.Span.ToArray());
        var point = new PointStruct
        {
            Id = new PointId { Uuid = QdrantPointIds.ToUuid(ns, record.Id).ToString("D") },
            Vectors = new global::Qdrant.Client.Grpc.Vectors { Vector = new Vector { Dense = dense } },
        };
        point.Payload.Add(PayloadOf(ns, record.Id, record.Metadata ?? Metadata.Empty));
        return point;
    }

    /// <summary>A record's whole payload: its id, namespace, metadata and the derived fields filters use.</summary>
    public static Dictionary<string, Value> PayloadOf(Namespace ns, VectorId id, Metadata metadata)
    {
        var payload = DerivedOf(metadata);
        payload.Add(IdKey, new Value { StringValue = id.Value });
        payload.Add(NamespaceKey, new Value { StringValue = ns.Value });
        payload.Add(MetadataKey, new Value { StructValue = StructOf(metadata) });
        return payload;
    }

    /// <summary>The metadata's fields as payload values, to merge under <see cref="MetadataKey"/>.</summary>
    public static Dictionary<string, Value> FieldsOf(Metadata metadata) =>
        metadata.ToDictionary(static pair => pair.Key, static pair => ToValue(pair.Value), StringComparer.Ordinal);

    /// <summary>The fields derived from the whole metadata (<see cref="KeysKey"/>, <see cref="TextKey"/>); they must follow every change of it.</summary>
    public static Dictionary<string, Value> DerivedOf(Metadata metadata)
    {
        var text = new Struct();
        var keys = new ListValue();
        foreach (var (key, value) in metadata)
        {
            keys.Values.Add(new Value { StringValue = key });
            if (value.Kind == MetadataValueKind.String)
            {
                text.Fields.Add(key, new Value { StringValue = value.AsString });
            }
        }

        return new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            [KeysKey] = new Value { ListValue = keys },
            [TextKey] = new Value { StructValue = text },
        };
    }

    private static Struct StructOf(Metadata metadata)
    {
        var fields = new Struct();
        foreach (var (key, value) in metadata)
        {
            fields.Fields.Add(key, ToValue(value));
        }

        return fields;
    }

    public static VectorId IdOf(MapField<string, Value> payload) =>
        payload.TryGetValue(IdKey, out var id) && id.KindCase == Value.KindOneofCase.StringValue
            ? VectorId.FromStored(id.StringValue)
            : throw new Core.Errors.VectorStorageException($"A point has no '{IdKey}' in its payload; it was not written by Theodore.") { SystemName = QdrantConstants.SystemName };

    public static Metadata MetadataOf(MapField<string, Value> payload)
    {
        if (!payload.TryGetValue(MetadataKey, out var value) || value.KindCase != Value.KindOneofCase.StructValue || value.StructValue.Fields.Count == 0)
        {
            return Metadata.Empty;
        }

        var pairs = new List<KeyValuePair<string, MetadataValue>>(value.StructValue.Fields.Count);
        foreach (var (key, field) in value.StructValue.Fields)
        {
            if (FromValue(field) is { } converted)
            {
                pairs.Add(new(key, converted));
            }
        }

        return Metadata.Create(pairs);
    }

    public static float[] ValuesOf(VectorsOutput? vectors)
    {
        if (vectors?.Vector is not { } vector)
        {
            return [];
        }

#pragma warning disable CS0612 // older servers answer in the deprecated data field
        return vector.Dense is { } dense ? [.. dense.Data] : [.. vector.Data];
#pragma warning restore CS0612
    }

    private static Value ToValue(MetadataValue value)
    {
        switch (value.Kind)
        {
            case MetadataValueKind.String:
                return new Value { StringValue = value.AsString };
            case MetadataValueKind.Number:
                return new Value { DoubleValue = value.AsNumber };
            case MetadataValueKind.Boolean:
                return new Value { BoolValue = value.AsBoolean };
            default:
                var list = new ListValue();
                list.Values.Add(value.AsStringList.Select(s => new Value { StringValue = s }));
                return new Value { ListValue = list };
        }
    }

    // Integers come back as integer_value when a number was stored as one (by another writer, or JSON round trips).
    private static MetadataValue? FromValue(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.StringValue => MetadataValue.FromString(value.StringValue),
        Value.KindOneofCase.DoubleValue when double.IsFinite(value.DoubleValue) => MetadataValue.FromNumber(value.DoubleValue),
        Value.KindOneofCase.IntegerValue => MetadataValue.FromNumber(value.IntegerValue),
        Value.KindOneofCase.BoolValue => MetadataValue.FromBoolean(value.BoolValue),
        Value.KindOneofCase.ListValue when value.ListValue.Values.All(v => v.KindCase == Value.KindOneofCase.StringValue) =>
            MetadataValue.FromStrings(value.ListValue.Values.Select(v => v.StringValue)),
        _ => null,
    };
}
