using MediatR;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Ports;

namespace Theodore.Application.Backups;

/// <summary>Lists every backup, oldest first, damaged ones included with their problem.</summary>
public sealed record ListBackups : IRequest<ListBackupsResult>;

public sealed record ListBackupsResult(IReadOnlyList<BackupInfo> Backups);

public sealed class ListBackupsHandler(IVectorStorage storage) : IRequestHandler<ListBackups, ListBackupsResult>
{
    public async Task<ListBackupsResult> Handle(ListBackups request, CancellationToken cancellationToken) =>
        new(await storage.GetRequiredService<IBackupStorage>().ListBackupsAsync(cancellationToken).ConfigureAwait(false));
}
