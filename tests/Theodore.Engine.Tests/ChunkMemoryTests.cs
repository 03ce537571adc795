using Theodore.Engine.Graph;

namespace Theodore.Engine.Tests;

/// <summary>The native blocks under a chunk's slots, and what an index reports for them.</summary>
public sealed unsafe class ChunkMemoryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData((3 << 20) + 17)]
    public void A_block_is_huge_page_aligned_zeroed_and_writable(int bytes)
    {
        using var block = NativeBlock.Allocate(bytes);
        block.AdviseHugePages();

        Assert.Equal(0, (nint)block.Pointer % NativeBlock.HugePage);
        var span = new Span<byte>(block.Pointer, bytes);
        Assert.True(span.IndexOfAnyExcept((byte)0) < 0);
        span.Fill(0xAB);
        Assert.Equal(0xAB, block.Pointer[bytes - 1]);
    }

    [Fact]
    public void A_slots_vector_and_links_share_one_block_and_do_not_overlap_its_neighbours()
    {
        var rows = TestData.Clustered(300, 40, 4, seed: 3);
        var index = TestData.Build(DistanceMetric.Euclidean, rows);
        var st = index.CurrentState;

        Assert.Equal(0, st.SlotBytes % 64);
        for (int slot = 0; slot + 1 < st.Count; slot++)
        {
            byte* vector = (byte*)st.Vector(slot);
            byte* links = (byte*)st.Links(slot, 0);
            Assert.Equal(0, (nint)vector % 64);
            Assert.Equal(st.VectorBytes, links - vector);
            Assert.True(links + (st.LinkStride * 4) <= (byte*)st.Vector(slot + 1));
            Assert.InRange(st.Links(slot, 0)[0], 1, st.MaxM0);
        }

        // The stride's padding stays zero, so the kernels may read whole padded rows.
        for (int d = rows[0].Length; d < st.Stride; d++)
        {
            Assert.Equal(0f, st.Vector(7)[d]);
        }
    }

    [Fact]
    public void A_small_index_reports_the_bytes_its_slots_use_not_its_chunks_reservation()
    {
        var rows = TestData.Clustered(10, 384, 2, seed: 5);
        var index = TestData.Build(DistanceMetric.Cosine, rows);
        var st = index.CurrentState;

        var usage = index.GetMemoryUsage();

        Assert.Equal(10L * 384 * 4, usage.VectorBytes - st.CodeBytes);
        Assert.True(usage.GraphBytes < 1 << 20, $"graph {usage.GraphBytes} bytes for 10 slots");
    }

    [Fact]
    public void Growth_estimates_cover_what_an_insert_then_uses()
    {
        var rows = TestData.Clustered(5_000, 32, 8, seed: 9);
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 32, Metric = DistanceMetric.Euclidean });
        var before = index.GetMemoryUsage();

        long estimate = index.EstimateInsertBytes(rows.Length, rows.Length * 6L);
        index.UpsertMany(rows.Select((r, i) => new EngineRecord(TestData.Key(i), r, new Dictionary<string, EngineValue>(StringComparer.Ordinal))).ToArray());
        var after = index.GetMemoryUsage();

        long grown = (after.VectorBytes + after.GraphBytes + after.KeyBytes) - (before.VectorBytes + before.GraphBytes + before.KeyBytes);
        Assert.InRange(grown, 1, estimate);
    }
}
