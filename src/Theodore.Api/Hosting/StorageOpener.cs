using System.Diagnostics;
using Theodore.Core.Ports;

namespace Theodore.Api.Hosting;

/// <summary>
/// Opens the storage (recovers a durable backend's data directory) before the server accepts requests: hosted
/// services start before the server listens, so a corrupt or locked data directory stops the start with its reason
/// and the first request meets a recovered store. Until it is open, <c>/health/ready</c> says so.
/// </summary>
internal sealed partial class StorageOpener(IVectorStorage storage, ILogger<StorageOpener> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (storage.GetService<IOpenableVectorStorage>() is not { IsOpen: false } openable)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        LogOpening(logger, storage.Capabilities.SystemName);
        await openable.OpenAsync(cancellationToken).ConfigureAwait(false);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogOpened(logger, storage.Capabilities.SystemName, elapsedMs);
    }

    // The container disposes the storage (asynchronously) when the host is disposed, after the last request.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Opening the {SystemName} storage")]
    private static partial void LogOpening(ILogger logger, string systemName);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "The {SystemName} storage is open after {ElapsedMs:0} ms")]
    private static partial void LogOpened(ILogger logger, string systemName, double elapsedMs);
}
