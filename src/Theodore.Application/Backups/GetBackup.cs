using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Ports;

namespace Theodore.Application.Backups;

/// <summary>Describes one backup; <see cref="Core.Errors.BackupNotFoundException"/> when there is none with that id.</summary>
public sealed record GetBackup(string? Backup) : IRequest<BackupInfo>;

public sealed class GetBackupValidator : AbstractValidator<GetBackup>
{
    public GetBackupValidator() =>
        RuleFor(r => r.Backup).Custom((backup, context) => context.CheckBackupId(backup));
}

public sealed class GetBackupHandler(IVectorStorage storage) : IRequestHandler<GetBackup, BackupInfo>
{
    public async Task<BackupInfo> Handle(GetBackup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var backups = storage.GetRequiredService<IBackupStorage>();
        return await backups.GetBackupAsync(RequestParsing.Backup(request.Backup), cancellationToken).ConfigureAwait(false);
    }
}
