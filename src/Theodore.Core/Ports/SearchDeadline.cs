using System.Diagnostics;
using System.Globalization;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Core.Ports;

/// <summary>
/// A search's deadline (<see cref="SearchOptions.Timeout"/>) as a <see cref="CancellationToken"/> linked with the
/// caller's. An adapter hands <see cref="Token"/> to the work; when the work is cancelled, <see cref="HasPassed"/>
/// tells the deadline (answer <see cref="Exceeded"/>) from the caller giving up (let the cancellation through). Without
/// a timeout the token is the caller's own and nothing is allocated.
/// </summary>
public sealed class SearchDeadline : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationToken _caller;
    private readonly long _started = Stopwatch.GetTimestamp();

    private SearchDeadline(TimeSpan? timeout, CancellationToken caller)
    {
        _caller = caller;
        Timeout = timeout;
        if (timeout is not { } due)
        {
            Token = caller;
            return;
        }

        _timer = caller.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(caller) : new CancellationTokenSource();

        // timers tick in whole milliseconds: a shorter deadline has passed before the work starts
        if (due < TimeSpan.FromMilliseconds(1))
        {
            _timer.Cancel();
        }
        else
        {
            _timer.CancelAfter(due);
        }

        Token = _timer.Token;
    }

    public TimeSpan? Timeout { get; }

    /// <summary>Cancelled at the deadline or when the caller cancels, whichever comes first.</summary>
    public CancellationToken Token { get; }

    /// <summary>True once the deadline, not the caller, has cancelled <see cref="Token"/>.</summary>
    public bool HasPassed => _timer is { IsCancellationRequested: true } && !_caller.IsCancellationRequested;

    /// <summary>
    /// True once the deadline's time has run out, whether or not its timer has fired: the timer's callback runs on the
    /// thread pool, which a busy machine may run late, so work that finished past its deadline without being stopped
    /// still answers <see cref="Exceeded"/>.
    /// </summary>
    public bool HasElapsed => Timeout is { } due && !_caller.IsCancellationRequested && (HasPassed || Stopwatch.GetElapsedTime(_started) >= due);

    /// <summary>
    /// Starts the deadline of <paramref name="options"/>; refuses it with <see cref="UnsupportedOperationException"/>
    /// when <paramref name="capabilities"/> say the backend cannot honour one.
    /// </summary>
    public static SearchDeadline Start(SearchOptions options, StorageCapabilities capabilities, string? index, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(capabilities);
        if (options.Timeout is not null && capabilities.QueryTimeout == QueryTimeoutSupport.None)
        {
            throw new UnsupportedOperationException($"The '{capabilities.SystemName}' backend cannot bound a search by a timeout; send the search without timeoutMs.")
            {
                SystemName = capabilities.SystemName,
                Index = index,
                Operation = operation,
            };
        }

        return new SearchDeadline(options.Timeout, cancellationToken);
    }

    /// <summary>The error for a search stopped by its deadline: 504 <c>timeout</c>, not retried.</summary>
    public StorageTimeoutException Exceeded(string systemName, string? index, string operation, Exception? cause = null)
    {
        var milliseconds = (Timeout ?? TimeSpan.Zero).TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
        var where = index is null ? string.Empty : $" on index '{index}'";
        var message = $"{operation}{where} did not finish within its deadline of {milliseconds} ms (timeoutMs) and was stopped.";
        return cause is null
            ? new StorageTimeoutException(message) { Deadline = Timeout, SystemName = systemName, Index = index, Operation = operation }
            : new StorageTimeoutException(message, cause) { Deadline = Timeout, SystemName = systemName, Index = index, Operation = operation };
    }

    public void Dispose() => _timer?.Dispose();
}
