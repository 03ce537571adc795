using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary><see cref="IStreamingVectorStorage"/>: pages in ordinal id order that cover every record once, and opaque cursors.</summary>
public abstract class CursorListingConformance : ConformanceSuite
{
    private static readonly string[] MixedIds =
    [
        "b", "a", "B", "A", "_", "10", "9", "100", "a-1", "a.1", "é", "Z", "z", "zz", "0", "~", "ab", "aB", "Ab", "company:7", "ü", "日本", "9a",
    ];

    [Fact]
    public async Task ListAsync_pages_cover_every_id_exactly_once_in_ordinal_order()
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(index, MixedIds.Select(id => Record(id, [1, 0])).ToArray());
        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;

        do
        {
            var page = await streaming.ListAsync(index, new ListRequest { Limit = 5, Cursor = cursor });
            Assert.True(page.Records.Count <= 5);
            seen.AddRange(IdsOf(page.Records));
            cursor = page.NextCursor;
            pages++;
            Assert.True(pages <= MixedIds.Length, "the cursor never ended");
        }
        while (cursor is not null);

        AssertListed(MixedIds.Order(StringComparer.Ordinal), seen);
        Assert.InRange(pages, 5, 6); // a backend may only learn on an extra, empty page that the listing ended
    }

    [Fact]
    public async Task ListAsync_exactly_one_full_page_has_no_next_cursor_or_an_empty_next_page()
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [1, 0]), Record("c", [1, 0]));

        var first = await streaming.ListAsync(index, new ListRequest { Limit = 3 });

        AssertListed(["a", "b", "c"], IdsOf(first.Records));
        if (first.NextCursor is not null)
        {
            var next = await streaming.ListAsync(index, new ListRequest { Limit = 3, Cursor = first.NextCursor });
            Assert.Empty(next.Records);
            Assert.Null(next.NextCursor);
        }
    }

    [Fact]
    public async Task ListAsync_empty_index_returns_an_empty_last_page()
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var index = await CreateIndexAsync();

        var page = await streaming.ListAsync(index, new ListRequest());

        Assert.Empty(page.Records);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("Zm9vYmFy")]
    [InlineData("%%%")]
    public async Task ListAsync_cursor_it_did_not_issue_throws_InvalidRequest_naming_the_cursor(string cursor)
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]));

        var error = await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await streaming.ListAsync(index, new ListRequest { Cursor = cursor }));

        Assert.Contains(error.Errors, e => e.Path == "cursor");
    }

    [Fact]
    public async Task ListAsync_include_flags_control_values_and_metadata()
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [3, 4], Meta(("k", "v"))));

        var bare = Assert.Single((await streaming.ListAsync(index, new ListRequest { IncludeValues = false, IncludeMetadata = false })).Records);
        var full = Assert.Single((await streaming.ListAsync(index, new ListRequest { IncludeValues = true, IncludeMetadata = true })).Records);

        Assert.Equal(0, bare.Values.Length);
        Assert.Empty(bare.Metadata);
        AssertStoredValues([3, 4], full.Values, DistanceMetric.Euclidean);
        Assert.Equal(Meta(("k", "v")), full.Metadata);
    }

    [Fact]
    public async Task ListAsync_records_written_after_the_cursor_position_show_up_in_later_pages()
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [1, 0]), Record("d", [1, 0]));
        var first = await streaming.ListAsync(index, new ListRequest { Limit = 2 });

        await UpsertAsync(index, Record("c", [1, 0]));
        var rest = await streaming.ListAsync(index, new ListRequest { Limit = 10, Cursor = first.NextCursor });

        if (!Capabilities.ListsInIdOrder)
        {
            // pages follow the backend's key order: the old records are all listed once; the new one may sort behind the cursor and be missed
            var listed = IdsOf(first.Records).Concat(IdsOf(rest.Records)).ToArray();
            Assert.Equal(2, first.Records.Count);
            Assert.Equal(listed.Length, listed.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(["a", "b", "d"], listed.Where(id => !string.Equals(id, "c", StringComparison.Ordinal)).Order(StringComparer.Ordinal), StringComparer.Ordinal);
            return;
        }

        Assert.Equal(["a", "b"], IdsOf(first.Records));
        Assert.Equal(["c", "d"], IdsOf(rest.Records));
    }

    [Fact]
    public async Task ScanAsync_streams_every_record_in_id_order()
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(index, MixedIds.Select(id => Record(id, [1, 0])).ToArray());
        var seen = new List<string>();

        await foreach (var record in streaming.ScanAsync(index, new ListRequest { Limit = 4 }))
        {
            seen.Add(record.Id.Value);
        }

        AssertListed(MixedIds.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task ListAsync_missing_index_throws_IndexNotFound()
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var missing = UniqueIndexName();

        await Assert.ThrowsAsync<IndexNotFoundException>(async () => await streaming.ListAsync(missing, new ListRequest()));
    }
}
