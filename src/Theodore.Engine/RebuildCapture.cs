namespace Theodore.Engine;

/// <summary>The keys written to an index while a <see cref="GraphRebuild"/> runs: each is copied again before the swap.</summary>
internal sealed class RebuildCapture
{
    private readonly Lock _gate = new();
    private HashSet<string> _keys = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_gate)
        {
            _keys.Add(key);
        }
    }

    /// <summary>The keys noted since the last call, each once.</summary>
    public string[] TakeAll()
    {
        HashSet<string> taken;
        lock (_gate)
        {
            if (_keys.Count == 0)
            {
                return [];
            }

            taken = _keys;
            _keys = new HashSet<string>(StringComparer.Ordinal);
        }

        var keys = new string[taken.Count];
        taken.CopyTo(keys);
        return keys;
    }
}
