using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class EmbeddingContractTests
{
    [Fact]
    public void Constructor_keeps_every_field()
    {
        var contract = new EmbeddingContract("text-embedding-3-small", "2024-01", normalize: true);

        Assert.Equal("text-embedding-3-small", contract.Model);
        Assert.Equal("2024-01", contract.Version);
        Assert.True(contract.Normalize);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Constructor_missing_model_is_refused(string? model)
    {
        var ex = Expect.InvalidAt(() => _ = new EmbeddingContract(model!, "1", normalize: false), "embedding.model");

        Assert.Contains("required", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Constructor_missing_version_is_refused(string version)
    {
        Expect.InvalidAt(() => _ = new EmbeddingContract("model", version, normalize: false), "embedding.version");
    }

    [Fact]
    public void Constructor_field_of_128_characters_is_accepted_and_129_refused()
    {
        Assert.Equal(128, new EmbeddingContract(new string('m', 128), "1", normalize: false).Model.Length);

        Expect.InvalidAt(() => _ = new EmbeddingContract("m", new string('v', 129), normalize: false), "embedding.version");
    }

    [Fact]
    public void Equals_same_fields_is_equal()
    {
        Assert.Equal(new EmbeddingContract("m", "1", normalize: true), new EmbeddingContract("m", "1", normalize: true));
        Assert.NotEqual(new EmbeddingContract("m", "1", normalize: true), new EmbeddingContract("m", "2", normalize: true));
    }
}
