using Theodore.Engine.Graph;
using Theodore.Engine.Tests.Snapshots;

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
        Assert.Null(st.Layout.VectorDirectory);
        for (int slot = 0; slot + 1 < st.Count; slot++)
        {
            byte* vector = (byte*)st.Vector(slot);
            byte* links = (byte*)st.Links(slot, 0);
            Assert.Equal(0, (nint)vector % 64);
            Assert.Equal(st.VectorBytes, links - vector);
            Assert.Equal(st.SlotBytes, (byte*)st.Vector(slot + 1) - vector);
            Assert.True(links + (st.LinkStride * 4) <= (byte*)st.Vector(slot + 1));
            Assert.InRange(st.Links(slot, 0)[0], 1, st.MaxM0);
        }

        // The stride's padding stays zero, so the kernels may read whole padded rows.
        for (int d = rows[0].Length; d < st.Stride; d++)
        {
            Assert.Equal(0f, st.Vector(7)[d]);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Packed_link_blocks_are_tighter_than_lines_yet_no_block_spans_an_extra_line(int m)
    {
        int bytes = (1 + (2 * m)) * 4;
        int aligned = (bytes + 63) & ~63;
        var layout = SlotLayout.For(1536, bytes, "/unused");

        Assert.InRange(layout.LinkStride, bytes, aligned);
        Assert.Equal(0, layout.LinkStride % 16);
        for (int slot = 0; slot < 64; slot++)
        {
            int offset = (slot * layout.LinkStride) % 64;
            Assert.True((offset + bytes + 63) / 64 <= aligned / 64, $"M {m}: slot {slot} at offset {offset} spans an extra line");
        }

        if (m == 16)
        {
            Assert.Equal(144, layout.LinkStride);
        }

        Assert.Equal(aligned, SlotLayout.For(1536, bytes, null).LinkBytes);
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

    [Fact]
    public void A_file_backed_block_keeps_its_bytes_after_its_pages_are_released_and_leaves_no_file()
    {
        string directory = Path.Combine(Path.GetTempPath(), "theodore-map-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var block = NativeBlock.MapFile(directory, 3 << 20);
            var span = new Span<byte>(block.Pointer, 3 << 20);
            Assert.True(span.IndexOfAnyExcept((byte)0) < 0);
            for (int i = 0; i < span.Length; i += 4096)
            {
                span[i] = (byte)(i / 4096);
            }

            block.ReleasePages(3 << 20);

            Assert.Equal(OperatingSystem.IsLinux(), block.IsFileBacked);
            Assert.Empty(Directory.GetFiles(directory));
            for (int i = 0; i < span.Length; i += 4096)
            {
                Assert.Equal((byte)(i / 4096), span[i]);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_quantized_index_with_file_backed_vectors_answers_as_one_in_memory_and_reports_them_apart()
    {
        string directory = Path.Combine(Path.GetTempPath(), "theodore-map-" + Guid.NewGuid().ToString("N"));
        try
        {
            var rows = TestData.Clustered(6_000, 64, 10, seed: 12);
            var inMemory = TestData.Build(DistanceMetric.Cosine, rows, quantization: VectorQuantization.Int8);
            var mapped = new VectorIndex(inMemory.Options with { VectorFileDirectory = directory });
            mapped.UpsertMany(rows.Select((r, i) => new EngineRecord(TestData.Key(i), r, new Dictionary<string, EngineValue>(StringComparer.Ordinal))).ToArray());
            var st = mapped.CurrentState;

            Assert.Equal(directory, st.Layout.VectorDirectory);
            Assert.Equal(st.VectorBytes, st.Layout.VectorStride);
            var usage = mapped.GetMemoryUsage();
            Assert.Equal(6_000L * st.VectorBytes, usage.MappedVectorBytes);
            Assert.Equal(st.CodeBytes, usage.VectorBytes);
            Assert.Empty(Directory.GetFiles(directory));
            foreach (var query in rows.Where((_, i) => i % 500 == 0))
            {
                Assert.Equal(Answers(inMemory.Search(query, 10, exact: true)), Answers(mapped.Search(query, 10, exact: true)));
                Assert.Equal(Answers(inMemory.Search(query, 10, ef: 100)).Take(3), Answers(mapped.Search(query, 10, ef: 100)).Take(3));
                Assert.Equal(query.Length, mapped.Search(query, 1, withVectors: true)[0].Vector!.Value.Length);
            }

            Assert.True(mapped.CheckIntegrity().IsHealthy);
            var loaded = SnapshotFiles.Read(SnapshotFiles.Write(mapped));
            Assert.Null(loaded.CurrentState.Layout.VectorDirectory);
            Assert.Equal(Answers(mapped.Search(rows[3], 10, exact: true)), Answers(loaded.Search(rows[3], 10, exact: true)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Later_chunks_take_their_links_from_shared_huge_page_blocks_and_the_first_keeps_its_own()
    {
        const long piece = 4_096 * 144; // 4,096 slots of M 16 links: under one huge page
        var slabs = new LinkSlabs();
        var first = slabs.Take(piece);
        var pieces = Enumerable.Range(1, 20).Select(_ => slabs.Take(piece)).ToArray();

        Assert.Equal(0, first.Offset);
        Assert.DoesNotContain(pieces, p => ReferenceEquals(p.Block, first.Block));
        int perSlab = (int)(LinkSlabs.SlabBytes / piece);
        for (int i = 0; i < pieces.Length; i++)
        {
            Assert.Same(pieces[i - (i % perSlab)].Block, pieces[i].Block);
            Assert.Equal((i % perSlab) * piece, pieces[i].Offset);
            Assert.Equal(0, (nint)pieces[i].Block.Pointer % NativeBlock.HugePage);
            new Span<byte>(pieces[i].Block.Pointer + pieces[i].Offset, (int)piece).Fill((byte)(i + 1));
        }

        Assert.NotSame(pieces[0].Block, pieces[perSlab].Block);
        for (int i = 0; i < pieces.Length; i++)
        {
            var span = new Span<byte>(pieces[i].Block.Pointer + pieces[i].Offset, (int)piece);
            Assert.True(span.IndexOfAnyExcept((byte)(i + 1)) < 0, $"piece {i} was overwritten by a neighbour");
        }

        // A piece too big to share has a block of its own.
        Assert.Equal(0, slabs.Take(LinkSlabs.SlabBytes).Offset);
    }

    [Theory]
    [InlineData(VectorQuantization.Int8, 384)]
    [InlineData(VectorQuantization.Int4, 384)]
    [InlineData(VectorQuantization.Binary, 384)]
    [InlineData(VectorQuantization.Int8, 1536)]
    [InlineData(VectorQuantization.Binary, 8)]
    public void A_code_arena_chunk_is_the_fewest_rows_that_fill_two_huge_pages(VectorQuantization kind, int dimension)
    {
        int row = CodeArena.RowBytesOf(kind, dimension);
        long rows = 1L << CodeArena.ChunkShiftFor(row);

        Assert.True(rows * row >= 2 * NativeBlock.HugePage);
        Assert.True(rows / 2 * row < 2 * NativeBlock.HugePage);
    }

    private static IEnumerable<(string Key, float Distance)> Answers(SearchHit[] hits) => hits.Select(h => (h.Key, h.Distance));
}
