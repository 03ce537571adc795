using Microsoft.Extensions.Hosting;

namespace Theodore.Api.Tests;

/// <summary>
/// Makes disposing a test host wait until the host's services are disposed.
/// </summary>
/// <remarks>
/// WebApplicationFactory runs the app's own <c>Main</c> on a thread of its own, to the end of <c>RunAsync</c>. When the
/// factory stops the host, both that thread and the factory dispose the host, and the service provider lets the first
/// caller do the work: the second returns at once. So the factory's Dispose often returned while <c>Main</c> was still
/// disposing the storage (measured: 4 of 10 disposals returned before a singleton's 300 ms disposal had run). A
/// restart on the same data directory then found the directory still locked; that was the cause of
/// <c>ReembedTests.The_api_does_not_start_on_an_index_made_by_another_model</c> failing once in CI.
/// The witness is the first hosted service, so it is created before the storage and every other hosted service and
/// their dependencies, and the container disposes it after them.
/// </remarks>
internal sealed class HostDisposalWitness : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _created;

    /// <summary>Called by the container when it creates the witness, i.e. when the host starts its hosted services.</summary>
    public HostDisposalWitness Created()
    {
        _created = true;
        return this;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until the container has disposed the services created after the witness, if it ever created it.</summary>
    public void WaitForDisposal()
    {
        if (_created && !_disposed.Task.Wait(HangGuard))
        {
            throw new TimeoutException($"The test host's services were not disposed within {HangGuard.TotalSeconds} s of its disposal.");
        }
    }

    /// <summary>The host as WebApplicationFactory created it; disposing it waits for the witness.</summary>
    public sealed class Host(IHost inner, HostDisposalWitness witness) : IHost
    {
        public IServiceProvider Services => inner.Services;

        public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

        public void Dispose()
        {
            inner.Dispose();
            witness.WaitForDisposal();
        }
    }
}
