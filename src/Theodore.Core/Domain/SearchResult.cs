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
}
