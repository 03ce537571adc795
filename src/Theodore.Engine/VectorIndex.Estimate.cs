using Theodore.Engine.Filtering;
using Theodore.Engine.Graph;

namespace Theodore.Engine;

// The planner's decision, shared by searches and their estimates, and the counters estimates learn from.
public sealed partial class VectorIndex
{
    private readonly SearchRecorder _searchStatistics = new();

    /// <summary>Counters of the searches run so far, and the moving averages estimates use.</summary>
    public SearchStatistics SearchStatistics => _searchStatistics.Snapshot();

    /// <summary>
    /// What <see cref="Search"/> with these arguments would cost, without running it: the plan the search's own planner
    /// would choose, distances to measure (the filter's estimated matches for an exact scan; for a walk the beam width
    /// times the distances per unit of width measured on this index's recent walks, divided by the filter's estimated
    /// share, plus the unlinked tail), and a duration from the recent nanoseconds per distance.
    /// </summary>
    public SearchEstimate EstimateSearch(int k, int? ef = null, bool exact = false, EngineFilter? filter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxK);
        if (ef is { } e)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(e, 1, nameof(ef));
        }

        var st = Volatile.Read(ref _state);
        int live = st.LiveCount;
        int unlinked = Math.Max(0, st.Count - st.Linked);
        int width = Math.Max(ef ?? _options.DefaultEf, k);
        long entry = st.Entry;
        int top = entry == -1 ? 0 : (int)(entry >> 32);
        double fraction = 1;
        double matches = live;
        if (filter is not null)
        {
            var meta = st.Metadata;
            lock (meta.Gate)
            {
                var plan = PlanFilter(meta, filter, exact);
                exact = plan.Exact;
                fraction = plan.Fraction;
                matches = Math.Min(plan.Estimate, live);
            }
        }

        var stats = _searchStatistics.Snapshot();
        long distances;
        SearchPlanKind kind;
        bool measured;
        if (exact || entry == -1)
        {
            kind = SearchPlanKind.ExactScan;
            distances = (long)Math.Ceiling(Math.Max(0, matches));
            measured = true;
        }
        else
        {
            var perEf = filter is null ? stats.WalkDistancesPerEf : stats.FilteredWalkDistancesPerEf ?? stats.WalkDistancesPerEf;
            measured = perEf is not null;

            // Prior before any walk is measured: about 0.6 M distances per unit of beam width on layer 0 (9.4 per unit
            // measured at M = 16 on 20k x 64 clustered vectors, SearchEstimateTests), and the descent measures M links a
            // couple of times per upper layer.
            double walk = (width * (perEf ?? (0.6 * st.M))) / fraction;
            walk += perEf is null ? 2.0 * top * st.M : 0;
            walk = Math.Min(walk, live);
            distances = (long)Math.Ceiling(walk + (unlinked * fraction));
            kind = unlinked > 0 ? SearchPlanKind.GraphWalkAndExactScan : SearchPlanKind.GraphWalk;
        }

        return new SearchEstimate
        {
            Plan = kind,
            DistanceComputations = distances,
            Approximate = kind != SearchPlanKind.ExactScan,
            Duration = stats.NanosecondsPerDistance is { } ns ? TimeSpan.FromTicks((long)Math.Ceiling(distances * ns / 100.0)) : null,
            EstimatedMatches = matches,
            LiveRecords = live,
            UnlinkedRecords = unlinked,
            Ef = width,
            TopLevel = top,
            ExactFilterThreshold = _options.ExactFilterThreshold,
            FromMeasuredSearches = measured,
        };
    }

    /// <summary>
    /// The filtered search's plan: exact when asked or when the filter's estimated matches are at most
    /// <see cref="VectorIndexOptions.ExactFilterThreshold"/>; the postings list the candidates when the filter can
    /// and the scan is exact or the filter passes at most half the records. Call under the metadata index's gate.
    /// </summary>
    private FilterPlan PlanFilter(MetadataIndex meta, EngineFilter filter, bool exact)
    {
        double estimate = filter.EstimateMatches(meta);
        exact |= estimate <= _options.ExactFilterThreshold;
        bool collect = filter.CanCollect && (exact || estimate <= meta.Records / 2);
        double fraction = meta.Records == 0 ? 1 : Math.Clamp(estimate / meta.Records, 1.0 / meta.Records, 1);
        return new FilterPlan(exact, estimate, collect, fraction);
    }

    private readonly record struct FilterPlan(bool Exact, double Estimate, bool Collect, double Fraction);

    /// <summary>
    /// Totals and moving averages of measured searches. The averages are updated without a lock: two searches that
    /// finish together may lose one sample, which a moving average does not miss.
    /// </summary>
    private sealed class SearchRecorder
    {
        private const double Weight = 0.1;
        private long _searches;
        private long _distances;
        private double _perEf = double.NaN;
        private double _filteredPerEf = double.NaN;
        private double _nsPerDistance = double.NaN;

        public void Record(SearchContext ctx, int width, TimeSpan elapsed)
        {
            long distances = ctx.Distances;
            Interlocked.Increment(ref _searches);
            Interlocked.Add(ref _distances, distances);
            if (distances > 0)
            {
                Update(ref _nsPerDistance, elapsed.TotalNanoseconds / distances);
            }

            // Only a pure walk teaches the walk model; a scan's cost is the candidate count, known up front.
            if (ctx.WalkedGraph && !ctx.ScannedExactly && width > 0)
            {
                if (ctx.FilterFraction >= 1)
                {
                    Update(ref _perEf, (double)distances / width);
                }
                else
                {
                    Update(ref _filteredPerEf, distances * ctx.FilterFraction / width);
                }
            }
        }

        public SearchStatistics Snapshot() => new(
            Volatile.Read(ref _searches),
            Volatile.Read(ref _distances),
            Read(ref _perEf),
            Read(ref _filteredPerEf),
            Read(ref _nsPerDistance));

        private static double? Read(ref double field)
        {
            double value = Volatile.Read(ref field);
            return double.IsNaN(value) ? null : value;
        }

        private static void Update(ref double field, double sample)
        {
            double current = Volatile.Read(ref field);
            Volatile.Write(ref field, double.IsNaN(current) ? sample : current + (Weight * (sample - current)));
        }
    }
}
