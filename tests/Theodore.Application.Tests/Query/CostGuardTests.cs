using NSubstitute;
using Theodore.Application.Query;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Query;

/// <summary><c>maxCost</c>: a query over its bound is refused from the estimate alone; no search reaches the port.</summary>
public sealed class CostGuardTests
{
    private readonly StorageFixture _fixture = new();
    private readonly IQueryEstimatingStorage _estimator = Substitute.For<IQueryEstimatingStorage>();

    public CostGuardTests()
    {
        _fixture.Storage.GetService(typeof(IQueryEstimatingStorage), Arg.Any<object?>()).Returns(_estimator);
        _estimator.EstimateSearchAsync(default!, default!, default, default).ReturnsForAnyArgs(Estimate(500));
        _fixture.Storage.SearchAsync(default!, default, default!, default).ReturnsForAnyArgs(new SearchResult([], Approximate: false, TimeSpan.Zero));
        _fixture.Storage.SearchByIdAsync(default!, default!, default!, default).ReturnsForAnyArgs(new SearchResult([], Approximate: false, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_query_by_vector_over_its_max_cost_is_refused_and_never_searched()
    {
        var refused = await Assert.ThrowsAsync<QueryTooCostlyException>(() =>
            new QueryByVectorHandler(_fixture.Storage).Handle(new QueryByVector("companies", [1, 0, 0], new QueryOptions(3, MaxCost: 499)), CancellationToken.None));

        Assert.Equal(500, refused.EstimatedCost);
        Assert.Equal(499, refused.MaxCost);
        await _fixture.Storage.DidNotReceiveWithAnyArgs().SearchAsync(default!, default, default!, default);
        await _estimator.Received(1).EstimateSearchAsync(StorageFixture.Companies, Arg.Is<SearchOptions>(o => o.TopK == 3), false, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_query_by_id_over_its_max_cost_is_refused_and_never_searched()
    {
        await Assert.ThrowsAsync<QueryTooCostlyException>(() =>
            new QueryByIdHandler(_fixture.Storage).Handle(new QueryById("companies", "acme", new QueryOptions(3, MaxCost: 10)), CancellationToken.None));

        await _fixture.Storage.DidNotReceiveWithAnyArgs().SearchByIdAsync(default!, default!, default!, default);
        await _estimator.Received(1).EstimateSearchAsync(StorageFixture.Companies, Arg.Any<SearchOptions>(), true, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_query_at_its_max_cost_runs_once()
    {
        await new QueryByVectorHandler(_fixture.Storage).Handle(new QueryByVector("companies", [1, 0, 0], new QueryOptions(3, MaxCost: 500)), CancellationToken.None);

        await _fixture.Storage.ReceivedWithAnyArgs(1).SearchAsync(default!, default, default!, default);
    }

    [Fact]
    public async Task Without_max_cost_no_estimate_is_made()
    {
        await new QueryByVectorHandler(_fixture.Storage).Handle(new QueryByVector("companies", [1, 0, 0], new QueryOptions(3)), CancellationToken.None);

        await _estimator.DidNotReceiveWithAnyArgs().EstimateSearchAsync(default!, default!, default, default);
        await _fixture.Storage.ReceivedWithAnyArgs(1).SearchAsync(default!, default, default!, default);
    }

    [Fact]
    public async Task A_backend_that_cannot_estimate_refuses_max_cost_and_searches_nothing()
    {
        var fixture = new StorageFixture();

        await Assert.ThrowsAsync<UnsupportedOperationException>(() =>
            new QueryByVectorHandler(fixture.Storage).Handle(new QueryByVector("companies", [1, 0, 0], new QueryOptions(3, MaxCost: 1_000_000)), CancellationToken.None));

        await fixture.Storage.DidNotReceiveWithAnyArgs().SearchAsync(default!, default, default!, default);
    }

    private static QueryEstimate Estimate(long distances) => new()
    {
        Plan = QueryPlan.GraphWalk,
        DistanceComputations = distances,
        VisitedNodes = distances / 4,
        Approximate = true,
        EstimatedDuration = null,
        EstimatedMatches = 1000,
        Records = 1000,
    };
}
