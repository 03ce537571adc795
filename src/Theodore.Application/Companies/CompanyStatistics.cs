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
public sealed record StartReembed(string? Provider, string? Model = null, int? Dimensions = null) : IRequest<ReembedStatus>;

public sealed class StartReembedHandler(CompanyReembedder reembedder) : IRequestHandler<StartReembed, ReembedStatus>
{
    public Task<ReembedStatus> Handle(StartReembed request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return reembedder.StartAsync(request.Provider, request.Model, request.Dimensions, cancellationToken);
    }
}

public sealed record GetReembedStatus : IRequest<ReembedStatus>;

public sealed class GetReembedStatusHandler(CompanyReembedder reembedder) : IRequestHandler<GetReembedStatus, ReembedStatus>
{
    public Task<ReembedStatus> Handle(GetReembedStatus request, CancellationToken cancellationToken) => Task.FromResult(reembedder.Status);
}
