using System.Numerics;
using System.Runtime.CompilerServices;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

/// <summary>
/// Per-operation scratch, rented from a <see cref="SearchContextPool"/>: generation-tagged visited
/// marks (cleared once every 255 visits), both heaps, selection buffers and an aligned,
/// zero-padded copy of the query.
/// </summary>
internal sealed unsafe class SearchContext
{
    private byte[] _visited = [];
    private float[] _queryBuffer = [];
    private byte[] _queryCodeBuffer = [];
    private byte[] _queryPlaneBuffer = [];
    private byte _generation;

    /// <summary>Distances measured by the current query's search (graph walk and scans); reset by the search.</summary>
    public long Distances { get; set; }

    /// <summary>True once the current query's search walked the graph.</summary>
    public bool WalkedGraph { get; set; }

    /// <summary>True once the current query's search scanned records exactly (the whole plan, or a short walk's fallback).</summary>
    public bool ScannedExactly { get; set; }

    /// <summary>The planner's estimated share of records passing the current query's filter (1 without one).</summary>
    public double FilterFraction { get; set; } = 1;

    public DistanceHeap Candidates { get; } = new();

    public DistanceHeap Results { get; } = new();

    public float[] SortedDistances { get; private set; } = new float[256];

    public int[] SortedSlots { get; private set; } = new int[256];

    public float[] SelectedDistances { get; private set; } = new float[256];

    public int[] SelectedSlots { get; private set; } = new int[256];

    public List<int> CandidateList { get; } = [];

    /// <summary>Scratch for re-pruning a full neighbour list: the old links plus the new one.</summary>
    public float[] PruneDistances { get; private set; } = new float[64];

    public int[] PruneSlots { get; private set; } = new int[64];

    public float[] PrunedDistances { get; private set; } = new float[64];

    public int[] PrunedSlots { get; private set; } = new int[64];

    /// <summary>Unvisited neighbours of the node being expanded, gathered so their vectors can be prefetched.</summary>
    public int[] Pending { get; private set; } = new int[64];

    /// <summary>
    /// One byte per slot, so a walk over a million slots marks within 1 MB (mostly in L2) rather than 4 MB of int
    /// tags; the price is a clear every 255 visits, a few bytes per visit amortized.
    /// </summary>
    public byte[] VisitedTags => _visited;

    /// <summary>Generation-tagged marks of the slots a filter's postings allow.</summary>
    public int[] MatchTags { get; private set; } = [];

    public int MatchGeneration { get; private set; }

    public byte Generation => _generation;

    public float* Query { get; private set; }

    /// <summary>Starts a new visit: bumps the generation instead of clearing the tags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NewVisit(int capacity)
    {
        if (_visited.Length < capacity)
        {
            _visited = new byte[Math.Max(capacity, _visited.Length * 2)];
            _generation = 0;
        }

        if (++_generation == byte.MaxValue)
        {
            Array.Clear(_visited);
            _generation = 1;
        }
    }

    public void NewMatchSet(int capacity)
    {
        if (MatchTags.Length < capacity)
        {
            MatchTags = new int[Math.Max(capacity, MatchTags.Length * 2)];
            MatchGeneration = 0;
        }

        if (++MatchGeneration == int.MaxValue)
        {
            Array.Clear(MatchTags);
            MatchGeneration = 1;
        }
    }

    /// <summary>Copies the query into an aligned buffer padded with zeros to the arena stride.</summary>
    public float* LoadQuery(ReadOnlySpan<float> query, int stride)
    {
        if (_queryBuffer.Length < stride + 16)
        {
            _queryBuffer = GC.AllocateArray<float>(stride + 16, pinned: true);
            var raw = (nint)Unsafe.AsPointer(ref _queryBuffer[0]);
            Query = (float*)((raw + 63) & ~(nint)63);
        }

        var target = new Span<float>(Query, stride);
        query.CopyTo(target);
        target[query.Length..].Clear();
        return Query;
    }

    /// <summary>
    /// Encodes the loaded query (<see cref="LoadQuery"/>) as an 8-bit code padded with zeros to
    /// <paramref name="codeStride"/> bytes, for a quantized search's walk; returns the code and its terms.
    /// </summary>
    public byte* LoadQueryCode(int dimension, int codeStride, out CodeTerms terms)
    {
        if (_queryCodeBuffer.Length < codeStride + 64)
        {
            _queryCodeBuffer = GC.AllocateArray<byte>(codeStride + 64, pinned: true);
            var raw = (nint)Unsafe.AsPointer(ref _queryCodeBuffer[0]);
            QueryCode = (byte*)((raw + 63) & ~(nint)63);
        }

        new Span<byte>(QueryCode, codeStride).Clear();
        terms = ScalarCodes.Encode(new ReadOnlySpan<float>(Query, dimension), QueryCode);
        return QueryCode;
    }

    public byte* QueryCode { get; private set; }

    /// <summary>
    /// The bit planes of the loaded query code (<see cref="LoadQueryCode"/>), for a binary index's walk over rows of
    /// <paramref name="binaryStride"/> bytes (<see cref="LowBitCodes.SplitPlanes"/>).
    /// </summary>
    public byte* LoadQueryPlanes(int dimension, int binaryStride)
    {
        int planeStride = LowBitCodes.PlaneStride(binaryStride);
        if (_queryPlaneBuffer.Length < (8 * planeStride) + 64)
        {
            _queryPlaneBuffer = GC.AllocateArray<byte>((8 * planeStride) + 64, pinned: true);
            var raw = (nint)Unsafe.AsPointer(ref _queryPlaneBuffer[0]);
            QueryPlanes = (byte*)((raw + 63) & ~(nint)63);
        }

        LowBitCodes.SplitPlanes(QueryCode, dimension, QueryPlanes, planeStride);
        return QueryPlanes;
    }

    public byte* QueryPlanes { get; private set; }

    public void EnsureLinks(int maxLinks)
    {
        if (Pending.Length < maxLinks + 1)
        {
            int n = (int)BitOperations.RoundUpToPowerOf2((uint)maxLinks + 1);
            PruneDistances = new float[n];
            PruneSlots = new int[n];
            PrunedDistances = new float[n];
            PrunedSlots = new int[n];
            Pending = new int[n];
        }
    }

    /// <summary>Neighbours chosen per layer during an insert, linked only after every layer is searched.</summary>
    public float[] LayerDistances { get; private set; } = new float[64];

    public int[] LayerSlots { get; private set; } = new int[64];

    public int[] LayerCounts { get; private set; } = new int[8];

    public void EnsureLayers(int layers, int m)
    {
        if (LayerCounts.Length < layers)
        {
            LayerCounts = new int[layers];
        }

        if (LayerSlots.Length < layers * m)
        {
            LayerDistances = new float[layers * m];
            LayerSlots = new int[layers * m];
        }
    }

    public void EnsureSorted(int size)
    {
        if (SortedDistances.Length < size)
        {
            int n = (int)BitOperations.RoundUpToPowerOf2((uint)size);
            SortedDistances = new float[n];
            SortedSlots = new int[n];
            SelectedDistances = new float[n];
            SelectedSlots = new int[n];
        }
    }
}
