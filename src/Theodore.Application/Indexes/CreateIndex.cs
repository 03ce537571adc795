using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Application.Operations;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Creates an index. Raw input so that every problem is reported at once.</summary>
public sealed record CreateIndex(
    string? Name,
    int? Dimension,
    string? Metric,
    CreateIndex.EmbeddingInput? Embedding = null,
    CreateIndex.HnswInput? Hnsw = null,
    CreateIndex.QuantizationInput? Quantization = null) : IRequest<IndexInfo>
{
    public sealed record EmbeddingInput(string? Model, string? Version, bool Normalize);

    public sealed record HnswInput(int? M, int? EfConstruction);

    /// <summary>Kind none, int8, int4 or binary (default none); the rerank factor defaults to the kind's (<see cref="QuantizationOptions.DefaultRerankFactorFor"/>).</summary>
    public sealed record QuantizationInput(string? Kind, int? RerankFactor);
}

public sealed class CreateIndexValidator : AbstractValidator<CreateIndex>
{
    public CreateIndexValidator()
    {
        RuleFor(r => r.Name).Custom((name, context) => context.CheckIndexName(name, "name"));
        RuleFor(r => r.Dimension).Custom((dimension, context) =>
        {
            if (dimension is not { } d)
            {
                context.AddError("dimension", "a dimension is required");
            }
            else if (d is < IndexDefinition.MinDimension or > IndexDefinition.MaxDimension)
            {
                context.AddError("dimension", $"must be between {IndexDefinition.MinDimension} and {IndexDefinition.MaxDimension}, got {d}");
            }
        });
        RuleFor(r => r.Metric).Custom((metric, context) =>
        {
            if (!MetricNames.TryParse(metric, out _, out var error))
            {
                context.AddError("metric", error);
            }
        });
        RuleFor(r => r.Embedding).Custom((embedding, context) =>
        {
            if (embedding is not null)
            {
                // Core's constructor checks both fields; one at a time (the other a stand-in) reports both when both are bad
                context.CheckWith(() => _ = new EmbeddingContract(embedding.Model ?? string.Empty, "v", normalize: false));
                context.CheckWith(() => _ = new EmbeddingContract("m", embedding.Version ?? string.Empty, normalize: false));
            }
        });
        RuleFor(r => r.Hnsw).Custom((hnsw, context) =>
        {
            if (hnsw is not null)
            {
                // one field at a time, so both are reported when both are out of range
                context.CheckWith(() => _ = new HnswOptions(m: hnsw.M ?? HnswOptions.DefaultM));
                context.CheckWith(() => _ = new HnswOptions(efConstruction: hnsw.EfConstruction ?? HnswOptions.DefaultEfConstruction));
            }
        });
        RuleFor(r => r.Quantization).Custom((quantization, context) =>
        {
            if (quantization is null)
            {
                return;
            }

            if (quantization.Kind is not null && !QuantizationOptions.TryParse(quantization.Kind, out _, out var error))
            {
                context.AddError("quantization.kind", error);
            }

            context.CheckWith(() => _ = new QuantizationOptions(VectorQuantization.None, quantization.RerankFactor));
        });
    }
}

public sealed class CreateIndexHandler(IVectorStorage storage, IEnumerable<IIndexChangeListener> listeners) : IRequestHandler<CreateIndex, IndexInfo>
{
    public async Task<IndexInfo> Handle(CreateIndex request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = ToDefinition(request);
        CheckCapabilities(definition, storage.Capabilities);
        var created = await storage.CreateIndexAsync(definition, cancellationToken).ConfigureAwait(false);
        listeners.Notify(definition.Name);
        return created;
    }

    private static IndexDefinition ToDefinition(CreateIndex request)
    {
        if (!MetricNames.TryParse(request.Metric, out var metric, out var metricError))
        {
            throw new InvalidRequestException("metric", metricError);
        }

        return new IndexDefinition(
            RequestParsing.Index(request.Name, "name"),
            request.Dimension ?? throw new InvalidRequestException("dimension", "a dimension is required"),
            metric,
            request.Embedding is { } e ? new EmbeddingContract(e.Model ?? string.Empty, e.Version ?? string.Empty, e.Normalize) : null,
            request.Hnsw is { } h ? new HnswOptions(h.M ?? HnswOptions.DefaultM, h.EfConstruction ?? HnswOptions.DefaultEfConstruction) : null,
            ToQuantization(request.Quantization));
    }

    private static QuantizationOptions? ToQuantization(CreateIndex.QuantizationInput? input)
    {
        if (input is null)
        {
            return null;
        }

        var kind = VectorQuantization.None;
        if (input.Kind is not null && !QuantizationOptions.TryParse(input.Kind, out kind, out var error))
        {
            throw new InvalidRequestException("quantization.kind", error);
        }

        return new QuantizationOptions(kind, input.RerankFactor);
    }

    // refuse up front what the configured backend cannot hold, rather than half-creating an index
    private static void CheckCapabilities(IndexDefinition definition, StorageCapabilities capabilities)
    {
        var errors = new List<RequestError>();
        if (definition.Dimension > capabilities.MaxDimension)
        {
            errors.Add(new RequestError("dimension", ErrorCodes.InvalidRequest, $"the '{capabilities.SystemName}' backend supports at most {capabilities.MaxDimension} dimensions, got {definition.Dimension}"));
        }

        if (!capabilities.Metrics.Contains(definition.Metric))
        {
            errors.Add(new RequestError("metric", ErrorCodes.InvalidRequest, $"the '{capabilities.SystemName}' backend does not support the {MetricNames.ToName(definition.Metric)} metric"));
        }

        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        if (definition.Quantization is { } quantization && !capabilities.Quantizations.Contains(quantization.Kind))
        {
            throw OperationSupport.Unsupported(capabilities, $"{QuantizationOptions.ToName(quantization.Kind)} quantization");
        }
    }
}
