using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>Create, describe, list and delete indexes; stats and health.</summary>
public abstract class IndexLifecycleConformance : ConformanceSuite
{
    [Fact]
    public async Task CreateIndexAsync_new_name_returns_the_definition_and_no_vectors()
    {
        var name = UniqueIndexName();
        var definition = new IndexDefinition(name, 3, DistanceMetric.Euclidean);

        var info = await Storage.CreateIndexAsync(definition);

        Assert.Equal(name, info.Name);
        Assert.Equal(3, info.Definition.Dimension);
        Assert.Equal(DistanceMetric.Euclidean, info.Definition.Metric);
        Assert.Equal(0, info.VectorCount);
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Manhattan)]
    public async Task CreateIndexAsync_each_metric_is_created_or_refused_as_capabilities_say(DistanceMetric metric)
    {
        var definition = new IndexDefinition(UniqueIndexName(), 4, metric);

        if (!Capabilities.Metrics.Contains(metric))
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await Storage.CreateIndexAsync(definition));
            return;
        }

        await Storage.CreateIndexAsync(definition);
        var described = await Storage.DescribeIndexAsync(definition.Name);
        Assert.Equal(metric, described.Definition.Metric);
    }

    [Fact]
    public async Task Memory_budget_is_reported_exactly_when_capabilities_say_it_is_enforced()
    {
        var index = await CreateIndexAsync(4, DistanceMetric.Euclidean);
        await Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 2, 3, 4 }));

        var budgeted = Storage.GetService<IMemoryBudgetedStorage>();

        if (!Capabilities.EnforcesMemoryBudget)
        {
            // The backend manages its own memory: it never refuses on Theodore's budget and reports none.
            Assert.Null(budgeted);
            return;
        }

        Assert.NotNull(budgeted);
        var status = budgeted.GetMemoryBudget();
        Assert.True(status.UsedBytes > 0, $"used {status.UsedBytes}");
        Assert.True(status.BudgetBytes is null or > 0, $"budget {status.BudgetBytes}");
    }

    [Fact]
    public async Task Query_estimates_are_offered_exactly_when_capabilities_say_so()
    {
        var index = await CreateIndexAsync(4, DistanceMetric.Euclidean);
        await Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 2, 3, 4 }));
        await Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("b"), new float[] { 4, 3, 2, 1 }));

        var estimator = Storage.GetService<IQueryEstimatingStorage>();

        if (!Capabilities.SupportsQueryEstimates)
        {
            // The backend's planner is not visible: no estimate, and the use cases refuse maxCost with 501.
            Assert.Null(estimator);
            return;
        }

        Assert.NotNull(estimator);
        var estimate = await estimator.EstimateSearchAsync(index, new SearchOptions { TopK = 1, Exact = true }, byId: false);
        Assert.Equal(QueryPlan.ExactScan, estimate.Plan);
        Assert.Equal(2, estimate.Records);
        Assert.Equal(2, estimate.DistanceComputations);
        Assert.False(estimate.Approximate);
    }

    [Fact]
    public async Task DescribeIndexAsync_existing_index_returns_dimension_metric_and_embedding_contract()
    {
        var contract = new EmbeddingContract("hashing", "v1", normalize: false);
        var index = await CreateIndexAsync(5, DistanceMetric.DotProduct, contract);

        var info = await Storage.DescribeIndexAsync(index);

        Assert.Equal(index, info.Name);
        Assert.Equal(5, info.Definition.Dimension);
        Assert.Equal(DistanceMetric.DotProduct, info.Definition.Metric);
        Assert.Equal(contract, info.Definition.Embedding);
    }

    [Fact]
    public async Task DescribeIndexAsync_after_upserts_counts_the_vectors()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [0, 1]), Record("c", [1, 1]));

        var info = await Storage.DescribeIndexAsync(index);

        Assert.Equal(3, info.VectorCount);
    }

    [Fact]
    public async Task ListIndexesAsync_created_indexes_are_listed_in_name_order()
    {
        var first = await CreateIndexAsync();
        var second = await CreateIndexAsync();

        var names = (await Storage.ListIndexesAsync()).Select(i => i.Name.Value).ToList();

        Assert.Contains(first.Value, names, StringComparer.Ordinal);
        Assert.Contains(second.Value, names, StringComparer.Ordinal);
        Assert.Equal(names.Order(StringComparer.Ordinal), names, StringComparer.Ordinal);
    }

    [Fact]
    public async Task DeleteIndexAsync_existing_index_is_gone_from_describe_and_list()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]));

        await Storage.DeleteIndexAsync(index);

        await Assert.ThrowsAsync<IndexNotFoundException>(async () => await Storage.DescribeIndexAsync(index));
        Assert.DoesNotContain(await Storage.ListIndexesAsync(), i => i.Name == index);
    }

    [Fact]
    public async Task DeleteIndexAsync_missing_index_throws_IndexNotFound()
    {
        var missing = UniqueIndexName();

        await Assert.ThrowsAsync<IndexNotFoundException>(async () => await Storage.DeleteIndexAsync(missing));
    }

    [Fact]
    public async Task CreateIndexAsync_after_delete_starts_empty()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]));
        await Storage.DeleteIndexAsync(index);

        await Storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Cosine));

        Assert.Null(await Storage.GetAsync(index, Id("a")));
        Assert.Equal(0, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    [Fact]
    public async Task CreateIndexAsync_existing_name_throws_IndexAlreadyExists_and_keeps_the_records()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]));

        await Assert.ThrowsAsync<IndexAlreadyExistsException>(async () => await Storage.CreateIndexAsync(new IndexDefinition(index, 7, DistanceMetric.Euclidean)));

        var info = await Storage.DescribeIndexAsync(index);
        Assert.Equal(2, info.Definition.Dimension);
        Assert.NotNull(await Storage.GetAsync(index, Id("a")));
    }

    [Fact]
    public async Task GetStatsAsync_reports_totals_dimension_metric_and_fields_by_record_count()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(
            index,
            Record("a", [1, 0], Meta(("industry", "fintech"), ("founded", 2015))),
            Record("b", [0, 1], Meta(("industry", "health"))),
            Record("c", [1, 1]));

        var stats = await Storage.GetStatsAsync(index);

        Assert.Equal(3, stats.TotalVectors);
        Assert.Equal(2, stats.Dimension);
        Assert.Equal(DistanceMetric.Euclidean, stats.Metric);
        if (Capabilities.CountsMetadataFields)
        {
            Assert.Equal(2, stats.MetadataFields["industry"]);
            Assert.Equal(1, stats.MetadataFields["founded"]);
        }
        else
        {
            Assert.Empty(stats.MetadataFields);
        }
        Assert.True(stats.MemoryBytes is null or > 0, "memory is unknown or positive");
    }

    [Fact]
    public async Task GetStatsAsync_empty_index_reports_zero_vectors()
    {
        var index = await CreateIndexAsync(4);

        var stats = await Storage.GetStatsAsync(index);

        Assert.Equal(0, stats.TotalVectors);
        Assert.Equal(4, stats.Dimension);
        Assert.Empty(stats.MetadataFields);
    }

    [Fact]
    public async Task CheckHealthAsync_names_the_backend_and_is_not_unhealthy()
    {
        var health = await Storage.CheckHealthAsync();

        Assert.Equal(Capabilities.SystemName, health.SystemName);
        Assert.NotEqual(HealthStatus.Unhealthy, health.Status);
    }

    [Fact]
    public void GetService_the_port_itself_is_found()
    {
        Assert.Same(Storage, Storage.GetService<IVectorStorage>());
        Assert.Null(Storage.GetService<IServiceProvider>()); // a type no storage is: a GetService that answers every type fails here
    }
}
