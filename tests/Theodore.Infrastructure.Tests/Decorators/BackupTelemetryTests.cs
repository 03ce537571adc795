using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Telemetry;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class BackupTelemetryTests
{
    [Fact]
    public async Task Backups_record_duration_success_failure_size_last_success_and_age()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T02:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var instrumentation = new StorageInstrumentation(time: time);
        using var metrics = new TelemetryVectorStorageTests.Recorder(instrumentation.Meter);
        var adapter = Substitute.For<IVectorStorage, IBackupStorage>();
        adapter.Capabilities.Returns(new StorageCapabilities { SystemName = "theodore" });
        adapter.GetService(typeof(IBackupStorage), null).Returns(adapter);
        var backups = (IBackupStorage)adapter;
        backups.CreateBackupAsync(Arg.Any<IReadOnlyList<IndexName>?>(), Arg.Any<CancellationToken>())
            .Returns(new BackupInfo(BackupId.New(time.GetUtcNow()), time.GetUtcNow(), [], 4096));
        var storage = new TelemetryVectorStorage(adapter, instrumentation);
        var traced = storage.GetRequiredService<IBackupStorage>();

        await traced.CreateBackupAsync(null);
        time.Advance(TimeSpan.FromHours(3));
        backups.CreateBackupAsync(Arg.Any<IReadOnlyList<IndexName>?>(), Arg.Any<CancellationToken>()).ThrowsAsync(new CapacityExceededException("disk full"));
        await Assert.ThrowsAsync<CapacityExceededException>(async () => await traced.CreateBackupAsync(null));
        metrics.Collect();

        Assert.Equal(1, Assert.Single(metrics.Longs("theodore.backup.successes")).Value);
        var failure = Assert.Single(metrics.Longs("theodore.backup.failures"));
        Assert.Equal(ErrorCodes.CapacityExceeded, failure.Tags["error.type"]);
        Assert.Equal(4096, Assert.Single(metrics.Longs("theodore.backup.size")).Value);
        Assert.Equal(2, metrics.Doubles("theodore.backup.duration").Count);
        Assert.Equal(time.GetUtcNow().AddHours(-3).ToUnixTimeSeconds(), Assert.Single(metrics.Doubles("theodore.backup.last_success")).Value);
        Assert.Equal(3 * 3600, Assert.Single(metrics.Doubles("theodore.backup.age")).Value);
    }
}
