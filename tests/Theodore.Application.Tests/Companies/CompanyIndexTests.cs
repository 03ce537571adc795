using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Theodore.Application.Companies;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Companies;

/// <summary>The binding of the companies index to the generator: created with its contract, checked, trusted, checked again.</summary>
public sealed class CompanyIndexTests : IDisposable
{
    private static readonly EmbeddingContract ModelA = new("model-a", "1", normalize: true);
    private readonly StorageFixture _fixture = new(batch: true);
    private readonly FakeTimeProvider _time = new();
    private readonly CountingGenerator _generator = new();
    private int _generatorAsked;

    public void Dispose() => _generator.Dispose();

    private CompanyIndex Index() => new(
        _fixture.Storage,
        () =>
        {
            _generatorAsked++;
            return _generator;
        },
        new CompaniesOptions { RevalidateSeconds = 30 },
        _time,
        NullLoggerFactory.Instance);

    [Fact]
    public async Task A_missing_index_is_created_with_the_generators_contract()
    {
        _fixture.Storage.DescribeIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>()).ThrowsAsync(new IndexNotFoundException("companies"));
        _fixture.Storage.CreateIndexAsync(Arg.Any<IndexDefinition>(), Arg.Any<CancellationToken>())
            .Returns(call => new IndexInfo(call.Arg<IndexDefinition>(), 0, null, null));

        var binding = await Index().EnsureAsync(CancellationToken.None);

        Assert.Equal(StorageFixture.Companies, binding.Index);
        await _fixture.Storage.Received(1).CreateIndexAsync(new IndexDefinition(StorageFixture.Companies, 3, DistanceMetric.Cosine, ModelA), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Another_models_index_is_refused_naming_both_contracts_and_nothing_is_written()
    {
        _fixture.WithIndex(embedding: new EmbeddingContract("model-b", "2", normalize: true));

        var error = await Assert.ThrowsAsync<EmbeddingContractViolationException>(() => Index().EnsureAsync(CancellationToken.None));

        Assert.Contains("'model-b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'model-a'", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.EmbeddingContractViolation, error.Code);
        await _fixture.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_checked_index_is_trusted_until_it_changes_or_the_revalidation_time_passes()
    {
        _fixture.WithIndex(embedding: ModelA);
        var index = Index();

        for (var i = 0; i < 5; i++)
        {
            using var lease = await index.ReadAsync(CancellationToken.None);
        }

        await _fixture.Storage.Received(1).DescribeIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>());

        index.IndexChanged(IndexName.Parse("other"));
        using (await index.ReadAsync(CancellationToken.None))
        {
        }

        await _fixture.Storage.Received(1).DescribeIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>());

        index.IndexChanged(StorageFixture.Companies);
        using (await index.ReadAsync(CancellationToken.None))
        {
        }

        await _fixture.Storage.Received(2).DescribeIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>());

        _time.Advance(TimeSpan.FromSeconds(31));
        using (await index.ReadAsync(CancellationToken.None))
        {
        }

        await _fixture.Storage.Received(3).DescribeIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_start_check_creates_nothing_and_loads_no_model_when_there_is_no_index()
    {
        _fixture.Storage.DescribeIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>()).ThrowsAsync(new IndexNotFoundException("companies"));

        await Index().CheckAtStartAsync(CancellationToken.None);

        Assert.Equal(0, _generatorAsked);
        await _fixture.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task The_start_check_refuses_another_models_index()
    {
        _fixture.WithIndex(embedding: new EmbeddingContract("model-a", "2", normalize: true));

        var error = await Assert.ThrowsAsync<EmbeddingContractViolationException>(() => Index().CheckAtStartAsync(CancellationToken.None));

        Assert.Contains("version: index '2', generator '1'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("companies", "companies-r2")]
    [InlineData("companies-r2", "companies-r3")]
    [InlineData("companies-r41", "companies-r42")]
    public void A_reembed_fills_the_next_generation(string current, string next) =>
        Assert.Equal(next, Index().NextPhysicalName(IndexName.Parse(current)).Value);
}
