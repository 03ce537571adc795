using NSubstitute;
using Theodore.Application.Indexes;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Indexes;

public sealed class CreateIndexTests
{
    private readonly CreateIndexValidator _validator = new();

    private static CreateIndex Valid() => new("companies", 384, "cosine", new CreateIndex.EmbeddingInput("hash", "1", true), new CreateIndex.HnswInput(16, 200));

    [Fact]
    public async Task Validate_complete_request_accepts() => await Validation.AcceptsAsync(_validator, Valid());

    [Fact]
    public async Task Validate_without_embedding_and_hnsw_accepts() =>
        await Validation.AcceptsAsync(_validator, new CreateIndex("companies", 3, "euclidean"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Companies")]
    [InlineData("-companies")]
    [InlineData("companies_2024")]
    [InlineData("a-name-that-is-much-longer-than-forty-five-chars")]
    public async Task Validate_invalid_name_reports_name(string? name)
    {
        var error = await Validation.SingleErrorAsync(_validator, Valid() with { Name = name });

        Assert.Equal("name", error.Path);
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(20_001)]
    public async Task Validate_dimension_out_of_range_reports_dimension(int? dimension)
    {
        var error = await Validation.SingleErrorAsync(_validator, Valid() with { Dimension = dimension });

        Assert.Equal("dimension", error.Path);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20_000)]
    public async Task Validate_dimension_at_bounds_accepts(int dimension) =>
        await Validation.AcceptsAsync(_validator, Valid() with { Dimension = dimension });

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Cosine")]
    [InlineData("dot_product")]
    [InlineData("l2")]
    public async Task Validate_unknown_metric_reports_metric_and_the_known_names(string? metric)
    {
        var error = await Validation.SingleErrorAsync(_validator, Valid() with { Metric = metric });

        Assert.Equal("metric", error.Path);
        Assert.Contains("dotproduct", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_embedding_without_model_and_version_reports_both()
    {
        var paths = await Validation.PathsAsync(_validator, Valid() with { Embedding = new CreateIndex.EmbeddingInput(null, " ", false) });

        Assert.Equal(["embedding.model", "embedding.version"], paths);
    }

    [Fact]
    public async Task Validate_hnsw_out_of_range_reports_both_fields()
    {
        var paths = await Validation.PathsAsync(_validator, Valid() with { Hnsw = new CreateIndex.HnswInput(1, 5000) });

        Assert.Equal(["hnsw.m", "hnsw.efConstruction"], paths);
    }

    [Fact]
    public async Task Validate_everything_wrong_lists_every_error()
    {
        var request = new CreateIndex("Bad Name", 0, "hamming", new CreateIndex.EmbeddingInput("", "", false), new CreateIndex.HnswInput(0, 0));

        var rejection = await Validation.RejectionAsync(_validator, request);

        Assert.NotNull(rejection);
        Assert.Equal(ErrorCodes.InvalidRequest, rejection.Code);
        Assert.Equal(["name", "dimension", "metric", "embedding.model", "embedding.version", "hnsw.m", "hnsw.efConstruction"], rejection.Errors.Select(e => e.Path));
    }

    [Fact]
    public async Task Handle_valid_request_creates_the_definition_it_describes()
    {
        var fixture = new StorageFixture();
        var created = StorageFixture.Info(384);
        fixture.Storage.CreateIndexAsync(Arg.Any<IndexDefinition>(), Arg.Any<CancellationToken>()).Returns(created);

        var result = await new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Metric = "dotproduct" }, CancellationToken.None);

        Assert.Same(created, result);
        await fixture.Storage.Received(1).CreateIndexAsync(
            new IndexDefinition(IndexName.Parse("companies"), 384, DistanceMetric.DotProduct, new EmbeddingContract("hash", "1", true), new HnswOptions(16, 200)),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_hnsw_with_one_field_uses_the_default_for_the_other()
    {
        var fixture = new StorageFixture();

        await new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Hnsw = new CreateIndex.HnswInput(32, null) }, CancellationToken.None);

        await fixture.Storage.Received(1).CreateIndexAsync(
            Arg.Is<IndexDefinition>(d => d.Hnsw == new HnswOptions(32, HnswOptions.DefaultEfConstruction)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_existing_index_lets_already_exists_through()
    {
        var fixture = new StorageFixture();
        fixture.Storage.CreateIndexAsync(Arg.Any<IndexDefinition>(), Arg.Any<CancellationToken>())
            .Returns<IndexInfo>(_ => throw new IndexAlreadyExistsException("companies"));

        await Assert.ThrowsAsync<IndexAlreadyExistsException>(() => new CreateIndexHandler(fixture.Storage, []).Handle(Valid(), CancellationToken.None));
    }

    [Fact]
    public async Task Handle_dimension_and_metric_beyond_the_backend_refuses_both_without_creating()
    {
        var fixture = new StorageFixture();
        fixture.Storage.Capabilities.Returns(new StorageCapabilities
        {
            SystemName = "small",
            MaxDimension = 100,
            Metrics = new HashSet<DistanceMetric> { DistanceMetric.Cosine },
        });

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Metric = "manhattan" }, CancellationToken.None));

        Assert.Equal(["dimension", "metric"], ex.Errors.Select(e => e.Path));
        await fixture.AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("int2", null, "quantization.kind")]
    [InlineData("bit", null, "quantization.kind")]
    [InlineData("INT 8", null, "quantization.kind")]
    [InlineData("int8", 0, "quantization.rerankFactor")]
    [InlineData("int8", 101, "quantization.rerankFactor")]
    public async Task Validate_bad_quantization_reports_its_field(string kind, int? rerank, string path)
    {
        var error = await Validation.SingleErrorAsync(_validator, Valid() with { Quantization = new CreateIndex.QuantizationInput(kind, rerank) });

        Assert.Equal(path, error.Path);
    }

    [Theory]
    [InlineData("Int8", VectorQuantization.Int8, 2)]
    [InlineData("int4", VectorQuantization.Int4, 4)]
    [InlineData("INT4", VectorQuantization.Int4, 4)]
    [InlineData("binary", VectorQuantization.Binary, 16)]
    [InlineData(" Binary ", VectorQuantization.Binary, 16)]
    public async Task Handle_quantization_on_a_backend_that_has_it_creates_it_with_the_kinds_default_rerank_factor(string name, VectorQuantization kind, int rerank)
    {
        var fixture = new StorageFixture();
        fixture.Storage.Capabilities.Returns(new StorageCapabilities
        {
            SystemName = "engine",
            Quantizations = new HashSet<VectorQuantization> { VectorQuantization.None, VectorQuantization.Int8, VectorQuantization.Int4, VectorQuantization.Binary },
        });
        Assert.Equal(rerank, QuantizationOptions.DefaultRerankFactorFor(kind));

        await new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Quantization = new CreateIndex.QuantizationInput(name, null) }, CancellationToken.None);
        await new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Quantization = new CreateIndex.QuantizationInput(name, 7) }, CancellationToken.None);

        await fixture.Storage.Received(1).CreateIndexAsync(
            Arg.Is<IndexDefinition>(d => d.Quantization == new QuantizationOptions(kind, rerank)), Arg.Any<CancellationToken>());
        await fixture.Storage.Received(1).CreateIndexAsync(
            Arg.Is<IndexDefinition>(d => d.Quantization == new QuantizationOptions(kind, 7)), Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData(VectorQuantization.None, "none")]
    [InlineData(VectorQuantization.Int8, "int8")]
    [InlineData(VectorQuantization.Int4, "int4")]
    [InlineData(VectorQuantization.Binary, "binary")]
    public void Every_kind_round_trips_through_its_name(VectorQuantization kind, string name)
    {
        Assert.Equal(name, QuantizationOptions.ToName(kind));
        Assert.True(QuantizationOptions.TryParse(name, out var parsed, out _));
        Assert.Equal(kind, parsed);
        Assert.False(QuantizationOptions.TryParse("int16", out _, out var error));
        Assert.Equal("must be none, int8, int4 or binary, got 'int16'", error);
    }

    [Fact]
    public async Task Handle_low_bit_quantization_on_a_backend_with_only_int8_is_unsupported()
    {
        var fixture = new StorageFixture();
        fixture.Storage.Capabilities.Returns(new StorageCapabilities
        {
            SystemName = "engine",
            Quantizations = new HashSet<VectorQuantization> { VectorQuantization.None, VectorQuantization.Int8 },
        });

        var ex = await Assert.ThrowsAsync<UnsupportedOperationException>(() =>
            new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Quantization = new CreateIndex.QuantizationInput("binary", null) }, CancellationToken.None));

        Assert.Contains("binary quantization", ex.Message, StringComparison.Ordinal);
        await fixture.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Handle_quantization_the_backend_lacks_is_unsupported_and_nothing_is_created()
    {
        var fixture = new StorageFixture();
        fixture.Storage.Capabilities.Returns(new StorageCapabilities { SystemName = "remote" });

        var ex = await Assert.ThrowsAsync<UnsupportedOperationException>(() =>
            new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Quantization = new CreateIndex.QuantizationInput("int8", 2) }, CancellationToken.None));

        Assert.Contains("int8 quantization", ex.Message, StringComparison.Ordinal);
        await fixture.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Handle_quantization_none_creates_an_unquantized_index_on_any_backend()
    {
        var fixture = new StorageFixture();
        fixture.Storage.Capabilities.Returns(new StorageCapabilities { SystemName = "remote" });

        await new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Quantization = new CreateIndex.QuantizationInput("none", null) }, CancellationToken.None);

        await fixture.Storage.Received(1).CreateIndexAsync(Arg.Is<IndexDefinition>(d => d.Quantization == null), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_int8_with_manhattan_is_refused_for_the_quantization()
    {
        var fixture = new StorageFixture();

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Metric = "manhattan", Quantization = new CreateIndex.QuantizationInput("int8", null) }, CancellationToken.None));

        Assert.Equal("quantization.kind", Assert.Single(ex.Errors).Path);
        await fixture.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Handle_invalid_input_without_the_pipeline_still_refuses()
    {
        var fixture = new StorageFixture();

        await Assert.ThrowsAsync<InvalidRequestException>(() =>
            new CreateIndexHandler(fixture.Storage, []).Handle(Valid() with { Metric = "nope" }, CancellationToken.None));

        await fixture.AssertNothingWrittenAsync();
    }
}
