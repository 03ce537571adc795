using Theodore.Core.Domain;
using Xunit;

namespace Theodore.Conformance;

/// <summary>Upsert, get and delete one record at a time.</summary>
public abstract class RecordCrudConformance : ConformanceSuite
{
    [Fact]
    public async Task GetAsync_after_upsert_returns_values_and_metadata_of_every_kind()
    {
        var index = await CreateIndexAsync(3, DistanceMetric.Euclidean);
        var metadata = Meta(("name", "Acme Pay"), ("founded", 2015.5), ("public", true), ("tags", new[] { "ai", "payments" }));
        await UpsertAsync(index, Record("acme", [0.5f, -1.25f, 3], metadata));

        var record = await Storage.GetAsync(index, Id("acme"));

        Assert.NotNull(record);
        Assert.Equal("acme", record.Id.Value);
        AssertStoredValues([0.5f, -1.25f, 3], record.Values, DistanceMetric.Euclidean);
        Assert.Equal(metadata, record.Metadata);
        Assert.Equal(MetadataValueKind.StringList, record.Metadata["tags"].Kind);
        Assert.Equal(2015.5, record.Metadata["founded"].AsNumber);
    }

    [Fact]
    public async Task UpsertAsync_existing_id_replaces_values_and_metadata()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 2], Meta(("stage", "seed"), ("old", true))));

        await UpsertAsync(index, Record("a", [3, 4], Meta(("stage", "series-a"))));

        var record = await Storage.GetAsync(index, Id("a"));
        Assert.NotNull(record);
        AssertStoredValues([3, 4], record.Values, DistanceMetric.Euclidean);
        Assert.Equal(Meta(("stage", "series-a")), record.Metadata);
        Assert.Equal(1, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    [Fact]
    public async Task GetAsync_missing_id_returns_null()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]));

        Assert.Null(await Storage.GetAsync(index, Id("b")));
    }

    [Fact]
    public async Task DeleteAsync_existing_record_returns_true_and_the_record_is_gone()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [0, 1]));

        var deleted = await Storage.DeleteAsync(index, Id("a"));
        await SettleAsync(index);

        Assert.True(deleted);
        Assert.Null(await Storage.GetAsync(index, Id("a")));
        Assert.NotNull(await Storage.GetAsync(index, Id("b")));
        Assert.Equal(1, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    [Fact]
    public async Task DeleteAsync_missing_record_returns_false()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]));

        Assert.False(await Storage.DeleteAsync(index, Id("nope")));
        Assert.NotNull(await Storage.GetAsync(index, Id("a")));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("company:42/branch#1")]
    [InlineData("Ünïcødé-公司-🙂")]
    [InlineData("with spaces and 'quotes'")]
    public async Task GetAsync_unusual_ids_round_trip_exactly(string id)
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record(id, [1, 0]));

        var record = await Storage.GetAsync(index, Id(id));

        Assert.NotNull(record);
        Assert.Equal(id, record.Id.Value);
    }

    [Fact]
    public async Task GetAsync_longest_allowed_id_round_trips()
    {
        var index = await CreateIndexAsync();
        var id = new string('k', VectorId.MaxLength);
        await UpsertAsync(index, Record(id, [1, 0]));

        var record = await Storage.GetAsync(index, Id(id));

        Assert.NotNull(record);
        Assert.Equal(id, record.Id.Value);
    }

    [Fact]
    public async Task GetAsync_ids_differing_only_in_case_are_different_records()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("acme", [1, 0]), Record("ACME", [0, 1]));

        var lower = await Storage.GetAsync(index, Id("acme"));
        var upper = await Storage.GetAsync(index, Id("ACME"));

        AssertStoredValues([1, 0], lower?.Values, DistanceMetric.Euclidean);
        AssertStoredValues([0, 1], upper?.Values, DistanceMetric.Euclidean);
    }

    [Fact]
    public async Task GetAsync_record_without_metadata_has_empty_metadata()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]));

        var record = await Storage.GetAsync(index, Id("a"));

        Assert.NotNull(record);
        Assert.Empty(record.Metadata);
    }

    [Fact]
    public async Task UpsertAsync_caller_changes_its_array_afterwards_the_stored_vector_is_unchanged()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        var values = new float[] { 1, 2 };
        await UpsertAsync(index, Record("a", values));

        values[0] = 42;
        var first = await Storage.GetAsync(index, Id("a"));
        Scribble(first!.Values);
        var second = await Storage.GetAsync(index, Id("a"));

        AssertStoredValues([1, 2], second?.Values, DistanceMetric.Euclidean);
    }

    [Fact]
    public async Task GetAsync_records_of_one_index_are_invisible_in_another()
    {
        var left = await CreateIndexAsync();
        var right = await CreateIndexAsync();
        await UpsertAsync(left, Record("a", [1, 0]));

        Assert.Null(await Storage.GetAsync(right, Id("a")));
        Assert.Empty((await SearchAsync(right, [1, 0])).Matches);
    }
}
