using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>The embedding contract round-trips through Pinecone's index tags, within the spec's limits on tags.</summary>
public sealed class IndexTagsTests
{
    [Theory]
    [InlineData("sentence-transformers/all-MiniLM-L6-v2", "v1.0", true)]
    [InlineData("text-embedding-3-small", "2024-01-25", false)]
    [InlineData("模型:ünïcødé/with spaces & symbols?#", "β", true)]
    public async Task A_second_process_describing_the_index_sees_the_contract(string model, string version, bool normalize)
    {
        await using var scope = await FakeScope.StartAsync();
        var contract = new EmbeddingContract(model, version, normalize);
        var index = await scope.CreateIndexAsync(3, DistanceMetric.Cosine, contract);

        var described = await scope.NewAdapter().DescribeIndexAsync(index);
        var listed = Assert.Single(await scope.NewAdapter().ListIndexesAsync());

        Assert.Equal(contract, described.Definition.Embedding);
        Assert.Equal(contract, listed.Definition.Embedding);
        Assert.Empty(scope.Fake.SpecViolations);
    }

    [Fact]
    public void Longest_contract_is_cut_into_values_the_spec_allows()
    {
        var contract = new EmbeddingContract(new string('模', EmbeddingContract.MaxFieldLength), new string('v', EmbeddingContract.MaxFieldLength), normalize: true);

        var tags = PineconeIndexTags.Write(new IndexDefinition(IndexName.Parse("x"), 2, DistanceMetric.Cosine, contract));

        Assert.True(tags.Count > 3);
        Assert.All(tags, t => Assert.InRange(t.Key.Length, 1, 80));
        Assert.All(tags, t => Assert.InRange(t.Value.Length, 1, 120));
        Assert.All(tags, t => Assert.Matches("^[A-Za-z0-9;@_.+ -]*$", t.Value));
        Assert.Equal(contract, PineconeIndexTags.ReadEmbedding(tags));
    }

    [Fact]
    public async Task Index_without_a_contract_describes_without_one()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2, DistanceMetric.DotProduct);

        var described = await scope.NewAdapter().DescribeIndexAsync(index);

        Assert.Null(described.Definition.Embedding);
        Assert.Equal(DistanceMetric.DotProduct, described.Definition.Metric);
    }
}
