using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Ports;

namespace Theodore.Application.Backups;

/// <summary>Backs up the named indexes, or every index when none are named; unsupported on backends without backups.</summary>
public sealed record CreateBackup(IReadOnlyList<string?>? Indexes = null) : IRequest<BackupInfo>;

public sealed class CreateBackupValidator : AbstractValidator<CreateBackup>
{
    public const int MaxIndexes = 1000;

    public CreateBackupValidator() =>
        RuleFor(r => r.Indexes).Custom((indexes, context) =>
        {
            if (indexes is null)
            {
                return;
            }

            context.CheckCount(indexes, MaxIndexes, "indexes", "index");
            for (var i = 0; i < indexes.Count; i++)
            {
                context.CheckIndexName(indexes[i], $"indexes[{i}]");
            }
        });
}

public sealed class CreateBackupHandler(IVectorStorage storage) : IRequestHandler<CreateBackup, BackupInfo>
{
    public async Task<BackupInfo> Handle(CreateBackup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var backups = storage.GetRequiredService<IBackupStorage>();
        IReadOnlyList<IndexName>? indexes = request.Indexes is null
            ? null
            : [.. request.Indexes.Select((name, i) => RequestParsing.Index(name, $"indexes[{i}]")).Distinct()];
        return await backups.CreateBackupAsync(indexes, cancellationToken).ConfigureAwait(false);
    }
}
