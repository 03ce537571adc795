using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Backups;

/// <summary>
/// Deletes one backup. A missing one is a <see cref="BackupNotFoundException"/> (HTTP 404), unlike the port, which
/// answers false: a DELETE of one named resource that is not there is an error the caller should see.
/// </summary>
public sealed record DeleteBackup(string? Backup) : IRequest<Unit>
{
    /// <summary>The request as a Core value, parsed once; its one error otherwise.</summary>
    internal BackupId Parse() => RequestParsing.Backup(Backup);
}

public sealed class DeleteBackupHandler(IVectorStorage storage) : IRequestHandler<DeleteBackup, Unit>
{
    public async Task<Unit> Handle(DeleteBackup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var backups = storage.GetRequiredService<IBackupStorage>();
        var id = request.Parse();
        var deleted = await backups.DeleteBackupAsync(id, cancellationToken).ConfigureAwait(false);
        return deleted ? Unit.Value : throw new BackupNotFoundException(id.Value);
    }
}
