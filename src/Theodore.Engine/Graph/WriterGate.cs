namespace Theodore.Engine.Graph;

/// <summary>
/// Lets any number of writers in at once and lets compaction shut them out while it rebuilds.
/// Searches never pass through it.
/// </summary>
internal sealed class WriterGate
{
    private int _writers;
    private int _closed;

    public void Enter()
    {
        var spin = default(SpinWait);
        while (true)
        {
            if (Volatile.Read(ref _closed) == 0)
            {
                Interlocked.Increment(ref _writers);
                if (Volatile.Read(ref _closed) == 0)
                {
                    return;
                }

                Interlocked.Decrement(ref _writers);
            }

            spin.SpinOnce();
        }
    }

    public void Exit() => Interlocked.Decrement(ref _writers);

    /// <summary>Stops new writers and waits for the ones inside to leave.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _closed, 1);
        var spin = default(SpinWait);
        while (Volatile.Read(ref _writers) != 0)
        {
            spin.SpinOnce();
        }
    }

    public void Open() => Interlocked.Exchange(ref _closed, 0);
}
