using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Ports;

namespace Theodore.Application.Backups;

/// <summary>Describes one backup; <see cref="Core.Errors.BackupNotFoundException"/> when there is none with that id.</summary>
public sealed record GetBackup(string? Backup) : IRequest<BackupInfo>
{
    /// <summary>The request as a Core value, parsed once; its one error otherwise.</summary>
    internal BackupId Parse() => RequestParsing.Backup(Backup);
}

public sealed class GetBackupHandler(IVectorStorage storage) : IRequestHandler<GetBackup, BackupInfo>
{
    public async Task<BackupInfo> Handle(GetBackup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var backups = storage.GetRequiredService<IBackupStorage>();
        return await backups.GetBackupAsync(request.Parse(), cancellationToken).ConfigureAwait(false);
    }
}
