using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Theodore.Engine.Graph;

/// <summary>
/// What a search may return: live slots passing the filter. When the planner could list the
/// candidates from the postings they are tagged in an array, so the walk tests one int per node
/// instead of evaluating the predicate; the predicate still runs when the list is a superset.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct SlotFilter(EngineFilter? filter, int[]? tags, int generation, bool tagsAreExact)
{
    public bool IsRestricting => filter is not null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Allows(IndexState st, int slot)
    {
        if (st.IsDeleted(slot))
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
