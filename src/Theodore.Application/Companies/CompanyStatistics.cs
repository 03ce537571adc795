using MediatR;
using Theodore.Application.Embeddings;

namespace Theodore.Application.Companies;

public sealed record CompanyStatistics(string Index, long Count, GeneratorContract Embedding, ReembedStatus Reembed);

/// <summary>How many companies there are, in which index, made by which model, and any re-embed.</summary>
public sealed record GetCompanyStatistics : IRequest<CompanyStatistics>;

public sealed class GetCompanyStatisticsHandler(CompanyIndex index, CompanyReembedder reembedder) : IRequestHandler<GetCompanyStatistics, CompanyStatistics>
{
    public async Task<CompanyStatistics> Handle(GetCompanyStatistics request, CancellationToken cancellationToken)
    {
        using var lease = await index.ReadAsync(cancellationToken).ConfigureAwait(false);
        var stats = await index.Storage.GetStatsAsync(lease.Binding.Index, cancellationToken).ConfigureAwait(false);
        return new CompanyStatistics(lease.Binding.Index.Value, stats.TotalVectors, lease.Binding.Contract, reembedder.Status);
    }
}

/// <summary>Starts re-embedding every company with another model (see <see cref="CompanyReembedder"/>).</summary>
public sealed record StartReembed(string? Provider, string? Model = null, int? Dimensions = null) : IRequest<ReembedStatus>
{
    internal string Parse()
    {
        var parser = new Common.RequestParser();
        if (string.IsNullOrWhiteSpace(Provider))
        {
            parser.Add("provider", "the embedding provider of the new model is required (for example Local)");
        }

        if (Dimensions is < 1 or > Core.Domain.IndexDefinition.MaxDimension)
        {
            parser.Add("dimensions", $"must be between 1 and {Core.Domain.IndexDefinition.MaxDimension}, got {Dimensions}");
        }

        parser.ThrowIfInvalid();
        return Provider!.Trim();
    }
}

public sealed class StartReembedHandler(CompanyReembedder reembedder) : IRequestHandler<StartReembed, ReembedStatus>
{
    public Task<ReembedStatus> Handle(StartReembed request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return reembedder.StartAsync(request.Parse(), request.Model, request.Dimensions, cancellationToken);
    }
}

public sealed record GetReembedStatus : IRequest<ReembedStatus>;

public sealed class GetReembedStatusHandler(CompanyReembedder reembedder) : IRequestHandler<GetReembedStatus, ReembedStatus>
{
    public Task<ReembedStatus> Handle(GetReembedStatus request, CancellationToken cancellationToken) => Task.FromResult(reembedder.Status);
}
