using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>Namespaces isolate records completely; a backend without them refuses a named namespace.</summary>
public abstract class NamespaceConformance : ConformanceSuite
{
    [Fact]
    public async Task UpsertAsync_same_id_in_two_namespaces_keeps_two_records()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        if (!await SupportedOrAssertRefusedAsync(index))
        {
            return;
        }

        await UpsertAsync(index, Ns("left"), Record("a", [1, 0], Meta(("side", "left"))));
        await UpsertAsync(index, Ns("right"), Record("a", [0, 1], Meta(("side", "right"))));

        var left = await Storage.GetAsync(index, Id("a"), Ns("left"));
        var right = await Storage.GetAsync(index, Id("a"), Ns("right"));
        Assert.Equal("left", left?.Metadata["side"].AsString);
        Assert.Equal("right", right?.Metadata["side"].AsString);
        AssertStoredValues([0, 1], right?.Values, DistanceMetric.Euclidean);
        Assert.Null(await Storage.GetAsync(index, Id("a")));
    }

    [Fact]
    public async Task SearchAsync_sees_only_the_records_of_its_namespace()
    {
        var index = await CreateIndexAsync();
        if (!await SupportedOrAssertRefusedAsync(index))
        {
            return;
        }

        await UpsertAsync(index, Record("default-1", [1, 0]));
        await UpsertAsync(index, Ns("tenant-a"), Record("a-1", [1, 0]), Record("a-2", [0, 1]));
        await UpsertAsync(index, Ns("tenant-b"), Record("b-1", [1, 0]));

        var inA = await SearchAsync(index, [1, 0], new SearchOptions { Namespace = Ns("tenant-a") });
        var inDefault = await SearchAsync(index, [1, 0]);
        var inEmpty = await SearchAsync(index, [1, 0], new SearchOptions { Namespace = Ns("nobody") });

        Assert.Equal(["a-1", "a-2"], IdsOf(inA));
        Assert.Equal(["default-1"], IdsOf(inDefault));
        Assert.Empty(inEmpty.Matches);
    }

    [Fact]
    public async Task DeleteAsync_in_one_namespace_leaves_the_same_id_in_another()
    {
        var index = await CreateIndexAsync();
        if (!await SupportedOrAssertRefusedAsync(index))
        {
            return;
        }

        await UpsertAsync(index, Ns("x"), Record("a", [1, 0]));
        await UpsertAsync(index, Ns("y"), Record("a", [1, 0]));

        Assert.True(await Storage.DeleteAsync(index, Id("a"), Ns("x")));
        await SettleAsync(index);

        Assert.Null(await Storage.GetAsync(index, Id("a"), Ns("x")));
        Assert.NotNull(await Storage.GetAsync(index, Id("a"), Ns("y")));
        Assert.False(await Storage.DeleteAsync(index, Id("a"), Ns("x")));
    }

    [Fact]
    public async Task GetStatsAsync_counts_vectors_per_namespace_and_in_total()
    {
        var index = await CreateIndexAsync();
        if (!await SupportedOrAssertRefusedAsync(index))
        {
            return;
        }

        await UpsertAsync(index, Record("d", [1, 0]));
        await UpsertAsync(index, Ns("a"), Record("1", [1, 0]), Record("2", [0, 1]));
        await UpsertAsync(index, Ns("b"), Record("1", [1, 0]));

        var stats = await Storage.GetStatsAsync(index);

        Assert.Equal(4, stats.TotalVectors);
        Assert.Equal(2, stats.Namespaces["a"]);
        Assert.Equal(1, stats.Namespaces["b"]);
        Assert.Equal(1, stats.Namespaces[string.Empty]);
        Assert.Equal(4, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    [Fact]
    public async Task SearchByIdAsync_looks_up_the_record_in_the_given_namespace()
    {
        var index = await CreateIndexAsync(1, DistanceMetric.Euclidean);
        if (!await SupportedOrAssertRefusedAsync(index))
        {
            return;
        }

        await UpsertAsync(index, Ns("n"), Record("self", [1]), Record("near", [2]), Record("far", [10]));
        await UpsertAsync(index, Record("outsider", [1]));

        var result = await Storage.SearchByIdAsync(index, Id("self"), new SearchOptions { Namespace = Ns("n") });

        Assert.Equal(["near", "far"], IdsOf(result));
        await Assert.ThrowsAsync<RecordNotFoundException>(async () => await Storage.SearchByIdAsync(index, Id("self"), new SearchOptions()));
    }

    [Fact]
    public async Task DeleteAllAsync_in_one_namespace_leaves_the_others()
    {
        var index = await CreateIndexAsync();
        if (!await SupportedOrAssertRefusedAsync(index))
        {
            return;
        }

        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        await UpsertAsync(index, Ns("gone"), Record("1", [1, 0]), Record("2", [0, 1]));
        await UpsertAsync(index, Ns("kept"), Record("1", [1, 0]));

        var deleted = await batch.DeleteAllAsync(index, Ns("gone"));
        await SettleAsync(index);

        Assert.Equal(2, deleted);
        Assert.Empty((await SearchAsync(index, [1, 0], new SearchOptions { Namespace = Ns("gone") })).Matches);
        Assert.NotNull(await Storage.GetAsync(index, Id("1"), Ns("kept")));
    }

    [Fact]
    public async Task ListAsync_lists_only_its_namespace()
    {
        var index = await CreateIndexAsync();
        if (!await SupportedOrAssertRefusedAsync(index))
        {
            return;
        }

        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        await UpsertAsync(index, Ns("n"), Record("b", [1, 0]), Record("a", [0, 1]));
        await UpsertAsync(index, Record("c", [1, 0]));

        var page = await streaming.ListAsync(index, new ListRequest { Namespace = Ns("n") });

        AssertListed(["a", "b"], IdsOf(page.Records));
        Assert.Null(page.NextCursor);
    }

    // Without namespaces, writing into a named one must fail loudly rather than land in the default namespace.
    private async Task<bool> SupportedOrAssertRefusedAsync(IndexName index)
    {
        if (Capabilities.SupportsNamespaces)
        {
            return true;
        }

        await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await Storage.UpsertAsync(index, Record("a", [1, 0]), Ns("elsewhere")));
        return false;
    }
}
