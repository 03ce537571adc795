using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Engine;
using CoreMetric = Theodore.Core.Domain.DistanceMetric;
using EngineMetric = Theodore.Engine.DistanceMetric;
using CoreQuantization = Theodore.Core.Domain.VectorQuantization;
using EngineQuantization = Theodore.Engine.VectorQuantization;

namespace Theodore.Adapters.Native;

/// <summary>The only place where the engine's types and Core's meet: metrics, metadata, filters, options and scores.</summary>
internal static class NativeMapper
{
    private static readonly Dictionary<string, EngineValue> NoMetadata = new(StringComparer.Ordinal);

    public static EngineMetric ToEngine(CoreMetric metric) => metric switch
    {
        CoreMetric.Cosine => EngineMetric.Cosine,
        CoreMetric.Euclidean => EngineMetric.Euclidean,
        CoreMetric.DotProduct => EngineMetric.DotProduct,
        CoreMetric.Manhattan => EngineMetric.Manhattan,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };

    public static VectorIndexOptions ToEngineOptions(IndexDefinition definition, NativeOptions options) => new()
    {
        Dimension = definition.Dimension,
        Metric = ToEngine(definition.Metric),
        M = definition.Hnsw?.M ?? options.DefaultM,
        EfConstruction = definition.Hnsw?.EfConstruction ?? options.DefaultEfConstruction,
        DefaultEf = options.DefaultEf,
        CompactionThreshold = options.CompactionThreshold,
        ExactFilterThreshold = options.ExactFilterThreshold,
        Quantization = definition.Quantization?.Kind switch
        {
            CoreQuantization.Int8 => EngineQuantization.Int8,
            CoreQuantization.Int4 => EngineQuantization.Int4,
            CoreQuantization.Binary => EngineQuantization.Binary,
            _ => EngineQuantization.None,
        },
        RerankFactor = definition.Quantization?.RerankFactor ?? VectorIndexOptions.DefaultRerankFactorFor(EngineQuantization.None),
        VectorFileDirectory = options.VectorFileDirectory,
    };

    /// <summary>
    /// Core's score and distance for an engine distance. The engine reports 1 - cosine for Cosine, the L2 distance
    /// (not squared) for Euclidean, the negated dot product for DotProduct and the L1 distance for Manhattan.
    /// </summary>
    public static (float Score, float? Distance) Score(CoreMetric metric, float engineDistance) => metric switch
    {
        CoreMetric.DotProduct => (Scoring.ScoreFromDistance(metric, -(double)engineDistance), null),
        _ => (Scoring.ScoreFromDistance(metric, engineDistance), engineDistance),
    };

    public static IReadOnlyDictionary<string, EngineValue> ToEngine(Metadata? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return NoMetadata;
        }

        var result = new Dictionary<string, EngineValue>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            result.Add(key, ToEngine(value));
        }

        return result;
    }

    public static EngineValue ToEngine(MetadataValue value) => value.Kind switch
    {
        MetadataValueKind.String => EngineValue.FromString(value.AsString),
        MetadataValueKind.Number => EngineValue.FromDouble(value.AsNumber),
        MetadataValueKind.Boolean => EngineValue.FromBoolean(value.AsBoolean),
        MetadataValueKind.StringList => EngineValue.FromStringList(value.AsStringList),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "unknown metadata kind"),
    };

    public static Metadata ToCore(IReadOnlyDictionary<string, EngineValue> metadata)
    {
        if (metadata.Count == 0)
        {
            return Metadata.Empty;
        }

        var pairs = new List<KeyValuePair<string, MetadataValue>>(metadata.Count);
        foreach (var (key, value) in metadata)
        {
            pairs.Add(new KeyValuePair<string, MetadataValue>(key, ToCore(value)));
        }

        return Metadata.Create(pairs);
    }

    public static MetadataValue ToCore(EngineValue value) => value.Kind switch
    {
        EngineValueKind.Text => MetadataValue.FromString(value.AsString()),
        EngineValueKind.Number => MetadataValue.FromNumber(value.AsDouble()),
        EngineValueKind.Boolean => MetadataValue.FromBoolean(value.AsBoolean()),
        EngineValueKind.TextList => MetadataValue.FromStrings(value.AsStringList()),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "unknown engine value kind"),
    };

    /// <summary>
    /// Translates a validated filter node by node, so the engine's planner can count eq/in/exists from its postings.
    /// The engine agrees with <see cref="FilterEvaluator"/> on every operator but one: its contains matches a substring
    /// of any list element, where Core's means list membership. Contains is therefore the engine's contains (a superset,
    /// which keeps its estimate) narrowed by a predicate with Core's exact meaning.
    /// </summary>
    public static EngineFilter ToEngine(FilterExpression filter) => filter switch
    {
        FieldFilter f => ToEngine(f),
        AndFilter a => EngineFilter.And(a.Clauses.Select(ToEngine)),
        OrFilter o => EngineFilter.Or(o.Clauses.Select(ToEngine)),
        NotFilter n => EngineFilter.Not(ToEngine(n.Clause)),
        _ => throw new ArgumentException($"unknown filter node {filter?.GetType().Name}", nameof(filter)),
    };

    private static EngineFilter ToEngine(FieldFilter f)
    {
        var field = f.Field;
        return f.Operator switch
        {
            FilterOperator.Eq => EngineFilter.Eq(field, ToEngine(f.Value!)),
            FilterOperator.Ne => EngineFilter.Ne(field, ToEngine(f.Value!)),
            FilterOperator.In => EngineFilter.In(field, f.Values!.Select(ToEngine)),
            FilterOperator.NotIn => EngineFilter.NotIn(field, f.Values!.Select(ToEngine)),
            FilterOperator.Gt => EngineFilter.Gt(field, EngineValue.FromDouble(f.Value!.AsNumber)),
            FilterOperator.Gte => EngineFilter.Gte(field, EngineValue.FromDouble(f.Value!.AsNumber)),
            FilterOperator.Lt => EngineFilter.Lt(field, EngineValue.FromDouble(f.Value!.AsNumber)),
            FilterOperator.Lte => EngineFilter.Lte(field, EngineValue.FromDouble(f.Value!.AsNumber)),
            FilterOperator.Contains => Contains(field, f.Value!.AsString),
            FilterOperator.StartsWith => EngineFilter.StartsWith(field, f.Value!.AsString),
            FilterOperator.EndsWith => EngineFilter.EndsWith(field, f.Value!.AsString),
            FilterOperator.Exists => f.Value!.AsBoolean ? EngineFilter.Exists(field) : EngineFilter.Not(EngineFilter.Exists(field)),
            _ => throw new ArgumentException($"unknown operator {f.Operator}", nameof(f)),
        };
    }

    // The predicate only narrows what the engine's contains already let through, so it estimates "all of them".
    private static EngineFilter Contains(string field, string text) => EngineFilter.And(
        EngineFilter.Contains(field, text),
        EngineFilter.Predicate(metadata => CoreContains(metadata, field, text), estimatedFraction: 1.0));

    private static bool CoreContains(IReadOnlyDictionary<string, EngineValue> metadata, string field, string text)
    {
        if (!metadata.TryGetValue(field, out var value))
        {
            return false;
        }

        return value.Kind switch
        {
            EngineValueKind.Text => value.AsString().Contains(text, StringComparison.Ordinal),
            EngineValueKind.TextList => value.AsStringList().Contains(text, StringComparer.Ordinal),
            _ => false,
        };
    }
}
