using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Theodore.Engine.Graph;

/// <summary>
/// What a search may return: live slots (not tombstoned, soft-deleted or, when <paramref name="now"/> is set, expired at
/// those UTC ticks) passing the filter. When the planner could list the
/// candidates from the postings they are tagged in an array, so the walk tests one int per node
/// instead of evaluating the predicate; the predicate still runs when the list is a superset.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct SlotFilter(EngineFilter? filter, int[]? tags, int generation, bool tagsAreExact, long now = 0)
{
    public bool IsRestricting => filter is not null || now != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Allows(IndexState st, int slot)
    {
        if (st.IsDeleted(slot))
        {
            return false;
        }

        // 0 unless the index holds an expiring record, so an index without TTLs pays one compare here.
        if (now != 0 && st.IsExpired(slot, now))
        {
            return false;
        }

        if (tags is not null)
        {
            if ((uint)slot >= (uint)tags.Length || tags[slot] != generation)
            {
                return false;
            }

            if (tagsAreExact)
            {
                return true;
            }
        }

        return filter is null || filter.Matches(st.MetadataOf(slot));
    }
}
