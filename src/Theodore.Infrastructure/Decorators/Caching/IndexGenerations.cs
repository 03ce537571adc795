using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;
using Theodore.Core.Domain;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>
/// Each index's current generation: part of every cache key, replaced after every write. A search reads it once,
/// before it looks anything up, so a search that starts after a write was acknowledged can only find results cached
/// under a generation that came into being after that write was applied (ADR 0009).
/// </summary>
internal interface IIndexGenerations
{
    ValueTask<string> CurrentAsync(IndexName index, CancellationToken cancellationToken);

    /// <summary>Moves the index to a new generation; every result cached before is unreachable from now on.</summary>
    ValueTask AdvanceAsync(IndexName index, CancellationToken cancellationToken);
}

/// <summary>One process's generations: a counter per index.</summary>
internal sealed class LocalIndexGenerations : IIndexGenerations
{
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    public ValueTask<string> CurrentAsync(IndexName index, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_generations.GetValueOrDefault(index.Value).ToString(CultureInfo.InvariantCulture));

    public ValueTask AdvanceAsync(IndexName index, CancellationToken cancellationToken)
    {
        _generations.AddOrUpdate(index.Value, 1, static (_, g) => g + 1);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Generations shared by every instance through the distributed cache (Redis). A generation is a fresh random token,
/// not a counter, so a plain SET is enough: whichever write's token is current, it was set after that write was
/// applied, and no result was ever computed under it before it was set. A missing token (never written, or evicted)
/// is replaced by a fresh one, never by a value used before.
/// </summary>
internal sealed class DistributedIndexGenerations(IDistributedCache store) : IIndexGenerations
{
    private static readonly DistributedCacheEntryOptions Forever = new();

    public async ValueTask<string> CurrentAsync(IndexName index, CancellationToken cancellationToken)
    {
        var key = Key(index);
        var current = await store.GetStringAsync(key, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            return current;
        }

        var fresh = NewToken();
        await store.SetStringAsync(key, fresh, Forever, cancellationToken).ConfigureAwait(false);
        return fresh;
    }

    public async ValueTask AdvanceAsync(IndexName index, CancellationToken cancellationToken) =>
        await store.SetStringAsync(Key(index), NewToken(), Forever, cancellationToken).ConfigureAwait(false);

    private static string Key(IndexName index) => "generation:" + index.Value;

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
