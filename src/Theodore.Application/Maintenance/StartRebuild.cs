using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Application.Operations;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Application.Maintenance;

/// <summary>
/// Starts an online rebuild of an index's graph while the old graph serves reads and writes. With <see cref="M"/> or
/// <see cref="EfConstruction"/> it builds with new HNSW options (one left out takes its default, 16 or 200); with
/// neither it keeps the index's own (to reclaim a heavily deleted graph). A request while one runs starts nothing and
/// answers with the running one. 501 where the backend cannot rebuild online.
/// </summary>
public sealed record StartRebuild(string? Index, int? M = null, int? EfConstruction = null) : IRequest<RebuildStatus>
{
    /// <summary>The HNSW options to build with: null when none were given (the backend keeps the index's own).</summary>
    internal HnswOptions? Hnsw() =>
        M is null && EfConstruction is null ? null : new HnswOptions(M ?? HnswOptions.DefaultM, EfConstruction ?? HnswOptions.DefaultEfConstruction);
}

public sealed class StartRebuildValidator : AbstractValidator<StartRebuild>
{
    public StartRebuildValidator() =>
        RuleFor(r => r).Custom((request, context) =>
        {
            context.CheckIndexName(request.Index, "index");
            context.CheckWith(() => request.Hnsw());
        });
}

public sealed class StartRebuildHandler(IVectorStorage storage) : IRequestHandler<StartRebuild, RebuildStatus>
{
    public async Task<RebuildStatus> Handle(StartRebuild request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rebuild = storage.GetRequiredService<IOnlineRebuildStorage>();
        if (!storage.Capabilities.OnlineRebuild)
        {
            throw OperationSupport.Unsupported(storage.Capabilities, "online rebuilds");
        }

        return await rebuild.StartRebuildAsync(RequestParsing.Index(request.Index), request.Hnsw(), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The running or last online rebuild of an index since it was opened (phase None when there was none).</summary>
public sealed record GetRebuildStatus(string? Index) : IRequest<RebuildStatus>;

public sealed class GetRebuildStatusValidator : AbstractValidator<GetRebuildStatus>
{
    public GetRebuildStatusValidator() =>
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
}

public sealed class GetRebuildStatusHandler(IVectorStorage storage) : IRequestHandler<GetRebuildStatus, RebuildStatus>
{
    public async Task<RebuildStatus> Handle(GetRebuildStatus request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rebuild = storage.GetRequiredService<IOnlineRebuildStorage>();
        if (!storage.Capabilities.OnlineRebuild)
        {
            throw OperationSupport.Unsupported(storage.Capabilities, "online rebuilds");
        }

        return await rebuild.GetRebuildStatusAsync(RequestParsing.Index(request.Index), cancellationToken).ConfigureAwait(false);
    }
}
