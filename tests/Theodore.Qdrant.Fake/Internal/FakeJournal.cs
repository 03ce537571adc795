namespace Theodore.Qdrant.Fake.Internal;

/// <summary>The request log, in-flight count and pending faults of one fake server; thread-safe.</summary>
internal sealed class FakeJournal
{
    private readonly Lock _gate = new();
    private readonly List<QdrantFakeRequest> _requests = [];
    private readonly List<(QdrantFakeFault Fault, int Remaining)> _faults = [];
    private int _inFlight;
    private int _maxInFlight;
    private int _maxUpsertsInFlight;
    private int _upsertsInFlight;

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int MaxUpsertsInFlight => Volatile.Read(ref _maxUpsertsInFlight);

    public IReadOnlyList<QdrantFakeRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public void Add(QdrantFakeRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
            _maxInFlight = _inFlight;
            _maxUpsertsInFlight = _upsertsInFlight;
        }
    }

    public void Enqueue(QdrantFakeFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Count, 1, nameof(fault));
        lock (_gate)
        {
            _faults.Add((fault, fault.Count));
        }
    }

    public QdrantFakeFault? TakeFault(string rpc)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var (fault, remaining) = _faults[i];
                if (fault.Rpc is null || string.Equals(fault.Rpc, rpc, StringComparison.Ordinal))
                {
                    if (remaining == 1)
                    {
                        _faults.RemoveAt(i);
                    }
                    else
                    {
                        _faults[i] = (fault, remaining - 1);
                    }

                    return fault;
                }
            }

            return null;
        }
    }

    public void Enter(bool upsert)
    {
        lock (_gate)
        {
            _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
            if (upsert)
            {
                _maxUpsertsInFlight = Math.Max(_maxUpsertsInFlight, ++_upsertsInFlight);
            }
        }
    }

    public void Leave(bool upsert)
    {
        lock (_gate)
        {
            _inFlight--;
            if (upsert)
            {
                _upsertsInFlight--;
            }
        }
    }
}
