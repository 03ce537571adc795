using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Ports;

namespace Theodore.Application.Backups;

/// <summary>Applies a retention policy: keeps the newest backup of each of the last N days, ISO weeks and months, deletes the rest.</summary>
public sealed record PruneBackups(int Daily, int Weekly, int Monthly) : IRequest<BackupPruneResult>;

public sealed class PruneBackupsValidator : AbstractValidator<PruneBackups>
{
    public PruneBackupsValidator() =>
        RuleFor(r => r).Custom((request, context) => context.CheckWith(() => _ = new BackupRetention(request.Daily, request.Weekly, request.Monthly)));
}

public sealed class PruneBackupsHandler(IVectorStorage storage) : IRequestHandler<PruneBackups, BackupPruneResult>
{
    public async Task<BackupPruneResult> Handle(PruneBackups request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var backups = storage.GetRequiredService<IBackupStorage>();
        var retention = new BackupRetention(request.Daily, request.Weekly, request.Monthly);
        return await backups.PruneBackupsAsync(retention, cancellationToken).ConfigureAwait(false);
    }
}
