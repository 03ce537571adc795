using MediatR;
using NSubstitute;
using Theodore.Application.Backups;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Backups;

public sealed class BackupUseCaseTests
{
    private const string Id = "20261121T075306123Z-3fa9c1";

    private static readonly BackupInfo Backup = new(
        BackupId.Parse(Id),
        BackupId.Parse(Id).CreatedAt,
        [new BackupIndexInfo(IndexName.Parse("companies"), 42, 40, 4096)],
        4096);

    private readonly IVectorStorage _storage = Substitute.For<IVectorStorage, IBackupStorage>();

    public BackupUseCaseTests() => _storage.GetService(typeof(IBackupStorage), null).Returns(_storage);

    private IBackupStorage Port => (IBackupStorage)_storage;

    [Fact]
    public async Task CreateBackup_without_indexes_backs_up_every_index()
    {
        Port.CreateBackupAsync(null, Arg.Any<CancellationToken>()).Returns(Backup);

        var result = await new CreateBackupHandler(_storage).Handle(new CreateBackup(), CancellationToken.None);

        Assert.Same(Backup, result);
    }

    [Fact]
    public async Task CreateBackup_named_indexes_are_passed_once_each()
    {
        IReadOnlyList<IndexName>? passed = null;
        Port.CreateBackupAsync(Arg.Do<IReadOnlyList<IndexName>?>(i => passed = i), Arg.Any<CancellationToken>()).Returns(Backup);

        await new CreateBackupHandler(_storage).Handle(new CreateBackup(["companies", "people", "companies"]), CancellationToken.None);

        Assert.Equal([IndexName.Parse("companies"), IndexName.Parse("people")], passed);
    }

    [Fact]
    public async Task CreateBackup_on_a_backend_without_backups_is_unsupported_operation_naming_the_system()
    {
        var remote = Substitute.For<IVectorStorage>();
        remote.Capabilities.Returns(new StorageCapabilities { SystemName = "qdrant" });

        var error = await Assert.ThrowsAsync<UnsupportedOperationException>(() => new CreateBackupHandler(remote).Handle(new CreateBackup(), CancellationToken.None));

        Assert.Contains("qdrant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateBackup_validator_reports_an_empty_list_and_each_bad_name()
    {
        var validator = new CreateBackupValidator();

        Assert.Equal(["indexes"], await Validation.PathsAsync(validator, new CreateBackup([])));
        Assert.Equal(["indexes[1]"], await Validation.PathsAsync(validator, new CreateBackup(["ok", "Not Ok"])));
        await Validation.AcceptsAsync(validator, new CreateBackup());
    }

    [Fact]
    public async Task ListBackups_returns_the_port_list()
    {
        Port.ListBackupsAsync(Arg.Any<CancellationToken>()).Returns([Backup]);

        var result = await new ListBackupsHandler(_storage).Handle(new ListBackups(), CancellationToken.None);

        Assert.Equal([Backup], result.Backups);
    }

    [Fact]
    public async Task GetBackup_parses_the_id_and_returns_the_backup()
    {
        Port.GetBackupAsync(BackupId.Parse(Id), Arg.Any<CancellationToken>()).Returns(Backup);

        var result = await new GetBackupHandler(_storage).Handle(new GetBackup(Id), CancellationToken.None);

        Assert.Same(Backup, result);
    }

    [Fact]
    public async Task GetBackup_validator_malformed_id_reports_backup()
    {
        var error = await Validation.SingleErrorAsync(new ParseOf<GetBackup>(r => r.Parse()), new GetBackup("latest"));

        Assert.Equal("backup", error.Path);
    }

    [Fact]
    public async Task DeleteBackup_existing_backup_is_deleted()
    {
        Port.DeleteBackupAsync(BackupId.Parse(Id), Arg.Any<CancellationToken>()).Returns(true);

        Assert.Equal(Unit.Value, await new DeleteBackupHandler(_storage).Handle(new DeleteBackup(Id), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteBackup_missing_backup_is_backup_not_found()
    {
        Port.DeleteBackupAsync(Arg.Any<BackupId>(), Arg.Any<CancellationToken>()).Returns(false);

        var error = await Assert.ThrowsAsync<BackupNotFoundException>(() => new DeleteBackupHandler(_storage).Handle(new DeleteBackup(Id), CancellationToken.None));

        Assert.Contains(Id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreBackup_passes_source_target_and_replace()
    {
        var restored = new RestoredIndex(new IndexInfo(new IndexDefinition(IndexName.Parse("companies-copy"), 3, DistanceMetric.Cosine), 40, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch), BackupId.Parse(Id), 42, Replaced: true);
        Port.RestoreBackupAsync(BackupId.Parse(Id), IndexName.Parse("companies"), IndexName.Parse("companies-copy"), true, Arg.Any<CancellationToken>()).Returns(restored);

        var result = await new RestoreBackupHandler(_storage, []).Handle(new RestoreBackup(Id, "companies", "companies-copy", Replace: true), CancellationToken.None);

        Assert.Same(restored, result);
    }

    [Fact]
    public async Task RestoreBackup_without_target_restores_under_the_same_name()
    {
        await new RestoreBackupHandler(_storage, []).Handle(new RestoreBackup(Id, "companies"), CancellationToken.None);

        await Port.Received(1).RestoreBackupAsync(BackupId.Parse(Id), IndexName.Parse("companies"), null, false, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RestoreBackup_validator_reports_every_bad_field()
    {
        var paths = await Validation.PathsAsync(new RestoreBackupValidator(), new RestoreBackup("nope", null, "Bad Target"));

        Assert.Equal(["backup", "index", "target"], paths);
    }

    [Fact]
    public async Task PruneBackups_passes_the_policy_and_returns_what_was_kept_and_deleted()
    {
        var pruned = new BackupPruneResult([BackupId.Parse(Id)], []);
        Port.PruneBackupsAsync(new BackupRetention(7, 4, 12), Arg.Any<CancellationToken>()).Returns(pruned);

        var result = await new PruneBackupsHandler(_storage).Handle(new PruneBackups(7, 4, 12), CancellationToken.None);

        Assert.Same(pruned, result);
    }

    [Fact]
    public async Task PruneBackups_validator_refuses_a_policy_that_keeps_nothing_or_negative_counts()
    {
        var validator = new PruneBackupsValidator();

        Assert.Single(await Validation.ErrorsAsync(validator, new PruneBackups(0, 0, 0)));
        Assert.Equal(["weekly"], await Validation.PathsAsync(validator, new PruneBackups(1, -1, 0)));
        await Validation.AcceptsAsync(validator, new PruneBackups(0, 0, 1));
    }
}
