using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Ports;

namespace Theodore.Application.Backups;

/// <summary>
/// Restores one index of a backup, under its own name or as <see cref="Target"/>. An existing index of that name is
/// an <see cref="Core.Errors.IndexAlreadyExistsException"/> unless <see cref="Replace"/> is set.
/// </summary>
public sealed record RestoreBackup(string? Backup, string? Index, string? Target = null, bool Replace = false) : IRequest<RestoredIndex>;

public sealed class RestoreBackupValidator : AbstractValidator<RestoreBackup>
{
    public RestoreBackupValidator()
    {
        RuleFor(r => r.Backup).Custom((backup, context) => context.CheckBackupId(backup));
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Target).Custom((target, context) =>
        {
            if (target is not null)
            {
                context.CheckIndexName(target, "target");
            }
        });
    }
}

public sealed class RestoreBackupHandler(IVectorStorage storage, IEnumerable<Indexes.IIndexChangeListener> listeners) : IRequestHandler<RestoreBackup, RestoredIndex>
{
    public async Task<RestoredIndex> Handle(RestoreBackup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var backups = storage.GetRequiredService<IBackupStorage>();
        var target = request.Target is null ? null : RequestParsing.Index(request.Target, "target");
        var index = RequestParsing.Index(request.Index);
        var restored = await backups.RestoreBackupAsync(
            RequestParsing.Backup(request.Backup),
            index,
            target,
            request.Replace,
            cancellationToken).ConfigureAwait(false);
        Indexes.IndexChangeListeners.Notify(listeners, target ?? index);
        return restored;
    }
}
