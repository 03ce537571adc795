using Theodore.Core.Domain;

namespace Theodore.Application.Indexes;

/// <summary>
/// Told when an index is created, deleted or restored through the use cases, so what caches facts about it (the
/// companies binding) checks them again instead of trusting an index that was replaced.
/// </summary>
public interface IIndexChangeListener
{
    void IndexChanged(IndexName index);
}

public static class IndexChangeListeners
{
    public static void Notify(this IEnumerable<IIndexChangeListener> listeners, IndexName index)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        foreach (var listener in listeners)
        {
            listener.IndexChanged(index);
        }
    }
}
