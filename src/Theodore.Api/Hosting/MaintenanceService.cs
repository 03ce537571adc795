using Microsoft.Extensions.Options;
using Theodore.Application.Maintenance;

namespace Theodore.Api.Hosting;

/// <summary>
/// Runs the background upkeep (<see cref="IndexMaintenance"/>) on the host's <see cref="TimeProvider"/>: the expiry
/// sweep every <see cref="MaintenanceOptions.SweepInterval"/> and, when the policy is on, a compaction check every
/// <see cref="CompactionOptions.CheckInterval"/>. Each loop waits a whole interval before its first pass, so a start is
/// never slowed, and a pass that fails on one index goes on with the next.
/// </summary>
internal sealed partial class MaintenanceService(IndexMaintenance maintenance, IOptions<MaintenanceOptions> options, TimeProvider time, ILogger<MaintenanceService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var policy = settings.CompactionPolicy();
        var loops = new List<Task>(2);
        if (settings.SweepEnabled)
        {
            loops.Add(EveryAsync(settings.SweepInterval, ct => maintenance.SweepExpiredAsync(ct), "sweep", stoppingToken));
        }

        if (policy.Enabled)
        {
            loops.Add(EveryAsync(settings.Compaction.CheckInterval, ct => maintenance.CompactDueAsync(policy, ct), "compaction", stoppingToken));
        }

        LogStarted(logger, settings.SweepEnabled ? settings.SweepInterval.TotalSeconds : 0, policy.Enabled ? settings.Compaction.CheckInterval.TotalSeconds : 0);
        return Task.WhenAll(loops);
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> pass, string what, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await pass(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // listing the indexes failed (storage down, not open yet): the next tick tries again
                    LogPassFailed(logger, what, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 2130, Level = LogLevel.Information, Message = "Background maintenance: expiry sweep every {SweepSeconds} s, compaction check every {CompactionSeconds} s (0 = off)")]
    private static partial void LogStarted(ILogger logger, double sweepSeconds, double compactionSeconds);

    [LoggerMessage(EventId = 2131, Level = LogLevel.Warning, Message = "A background {Task} pass failed; the next one tries again")]
    private static partial void LogPassFailed(ILogger logger, string task, Exception exception);
}
