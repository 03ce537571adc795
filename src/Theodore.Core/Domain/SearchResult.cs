namespace Theodore.Core.Domain;

/// <summary>Matches in a stable order (score descending, then id ascending), whether they are approximate, and the time taken.</summary>
public sealed record SearchResult(IReadOnlyList<SearchMatch> Matches, bool Approximate, TimeSpan Took)
{
    /// <summary>The one order of results on every backend: score descending, ties broken by id (ordinal).</summary>
    public static IComparer<SearchMatch> Order { get; } = Comparer<SearchMatch>.Create(static (a, b) =>
    {
        var byScore = b.Score.CompareTo(a.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(a.Id.Value, b.Id.Value);
    });

    /// <summary>
    /// Puts <paramref name="matches"/> in <see cref="Order"/> when they are not already: a backend that ranks by
    /// distance is in order unless two distances round to one score, so this is one pass and rarely a sort.
    /// </summary>
    public static void EnsureOrder(IList<SearchMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        for (var i = 1; i < matches.Count; i++)
        {
            if (Order.Compare(matches[i - 1], matches[i]) > 0)
            {
                var sorted = matches.Order(Order).ToArray();
                for (var j = 0; j < sorted.Length; j++)
                {
                    matches[j] = sorted[j];
                }

                return;
            }
        }
    }
}
