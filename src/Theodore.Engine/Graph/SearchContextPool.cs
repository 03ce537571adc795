namespace Theodore.Engine.Graph;

/// <summary>A small lock-free pool: rent scans for a parked context, return parks it again.</summary>
internal sealed class SearchContextPool
{
    private readonly SearchContext?[] _items = new SearchContext?[Math.Max(4, Environment.ProcessorCount * 2)];

    public SearchContext Rent()
    {
        for (int i = 0; i < _items.Length; i++)
        {
            var item = Volatile.Read(ref _items[i]);
            if (item is not null && Interlocked.CompareExchange(ref _items[i], null, item) == item)
            {
                return item;
            }
        }

        return new SearchContext();
    }

    public void Return(SearchContext context)
    {
        for (int i = 0; i < _items.Length; i++)
        {
            if (Volatile.Read(ref _items[i]) is null && Interlocked.CompareExchange(ref _items[i], context, null) is null)
            {
                return;
            }
        }
    }
}
