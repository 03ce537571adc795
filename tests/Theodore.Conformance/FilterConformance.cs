using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>
/// Every operator means what <see cref="FilterEvaluator"/> says, on search and on listing; the limits of
/// <see cref="FilterLimits"/> are enforced; an operator the backend lacks is refused with UnsupportedFilterException.
/// Filters are written in their JSON form with single quotes for readability.
/// </summary>
public abstract class FilterConformance : ConformanceSuite
{
    private static readonly VectorRecord[] Companies =
    [
        Record("acme", [1, 0], Meta(("industry", "fintech"), ("founded", 2015), ("public", true), ("tags", new[] { "ai", "payments" }), ("name", "Acme Pay"))),
        Record("bio", [1, 0], Meta(("industry", "health"), ("founded", 2010), ("public", false), ("tags", new[] { "bio" }), ("name", "BioCorp"))),
        Record("zeta", [1, 0], Meta(("industry", "fintech"), ("founded", 2020), ("tags", new[] { "ai" }), ("name", "Zeta Bank"))),
        Record("old", [1, 0], Meta(("founded", 1999), ("public", true), ("name", "Old Acme Holdings"))),
        Record("odd", [1, 0], Meta(("industry", "retail"), ("founded", "unknown"), ("public", false), ("name", "Odd Shop"))),
    ];

    [Theory]
    [InlineData("{'industry':{'$eq':'fintech'}}", "acme,zeta")]
    [InlineData("{'industry':'fintech'}", "acme,zeta")]
    [InlineData("{'founded':{'$eq':2015}}", "acme")]
    [InlineData("{'public':{'$eq':true}}", "acme,old")]
    [InlineData("{'public':{'$eq':false}}", "bio,odd")]
    [InlineData("{'tags':{'$eq':'ai'}}", "acme,zeta")]
    [InlineData("{'founded':{'$eq':'2015'}}", "")]
    [InlineData("{'industry':{'$ne':'fintech'}}", "bio,odd,old")]
    [InlineData("{'tags':{'$ne':'ai'}}", "bio,odd,old")]
    [InlineData("{'founded':{'$gt':2010}}", "acme,zeta")]
    [InlineData("{'founded':{'$gte':2010}}", "acme,bio,zeta")]
    [InlineData("{'founded':{'$lt':2015}}", "bio,old")]
    [InlineData("{'founded':{'$lte':2015}}", "acme,bio,old")]
    [InlineData("{'founded':{'$gt':0}}", "acme,bio,old,zeta")]
    [InlineData("{'industry':{'$in':['fintech','retail']}}", "acme,odd,zeta")]
    [InlineData("{'tags':{'$in':['payments','bio']}}", "acme,bio")]
    [InlineData("{'founded':{'$in':[2010,1999,'unknown']}}", "bio,odd,old")]
    [InlineData("{'industry':{'$nin':['fintech']}}", "bio,odd,old")]
    [InlineData("{'tags':{'$nin':['ai']}}", "bio,odd,old")]
    [InlineData("{'name':{'$contains':'Acme'}}", "acme,old")]
    [InlineData("{'name':{'$contains':'acme'}}", "")]
    [InlineData("{'tags':{'$contains':'payments'}}", "acme")]
    [InlineData("{'tags':{'$contains':'pay'}}", "")]
    [InlineData("{'name':{'$starts_with':'Acme'}}", "acme")]
    [InlineData("{'tags':{'$starts_with':'pay'}}", "acme")]
    [InlineData("{'name':{'$ends_with':'Bank'}}", "zeta")]
    [InlineData("{'tags':{'$ends_with':'io'}}", "bio")]
    [InlineData("{'industry':{'$exists':true}}", "acme,bio,odd,zeta")]
    [InlineData("{'industry':{'$exists':false}}", "old")]
    [InlineData("{'tags':{'$exists':false}}", "odd,old")]
    [InlineData("{'industry':'fintech','founded':{'$gte':2018}}", "zeta")]
    [InlineData("{'$and':[{'industry':'fintech'},{'public':true}]}", "acme")]
    [InlineData("{'$or':[{'industry':'health'},{'public':true}]}", "acme,bio,old")]
    [InlineData("{'$not':{'industry':'fintech'}}", "bio,odd,old")]
    [InlineData("{'$not':{'founded':{'$gte':2010}}}", "odd,old")]
    [InlineData("{'$or':[{'$and':[{'industry':'fintech'},{'$not':{'founded':{'$lt':2018}}}]},{'name':{'$starts_with':'Old'}}]}", "old,zeta")]
    [InlineData("{'nothing':{'$eq':'x'}}", "")]
    public async Task SearchAsync_filter_matches_exactly_the_records_the_evaluator_matches(string json, string expected)
    {
        var filter = FilterJson.Parse(json.Replace('\'', '"'));
        var index = await CreateCompaniesAsync();

        if (!Supports(filter))
        {
            await Assert.ThrowsAsync<UnsupportedFilterException>(async () => await SearchAsync(index, [1, 0], new SearchOptions { Filter = filter, TopK = 100 }));
            return;
        }

        var result = await SearchAsync(index, [1, 0], new SearchOptions { Filter = filter, TopK = 100 });

        Assert.Equal(Expected(expected), IdsOf(result).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal(Companies.Where(c => FilterEvaluator.Matches(filter, c.Metadata)).Select(c => c.Id.Value).Order(StringComparer.Ordinal), IdsOf(result).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{'industry':'fintech'}", "acme,zeta")]
    [InlineData("{'founded':{'$lt':2015}}", "bio,old")]
    [InlineData("{'industry':{'$ne':'fintech'}}", "bio,odd,old")]
    [InlineData("{'$or':[{'tags':'bio'},{'industry':{'$exists':false}}]}", "bio,old")]
    public async Task ListAsync_filter_lists_exactly_the_matching_records(string json, string expected)
    {
        var streaming = PortOrAssertUnsupported<IStreamingVectorStorage>();
        if (streaming is null)
        {
            return;
        }

        var filter = FilterJson.Parse(json.Replace('\'', '"'));
        var index = await CreateCompaniesAsync();

        var page = await streaming.ListAsync(index, new ListRequest { Filter = filter, Limit = 100 });

        AssertListed(Expected(expected), IdsOf(page.Records));
    }

    [Theory]
    [InlineData(FilterOperator.Eq)]
    [InlineData(FilterOperator.Ne)]
    [InlineData(FilterOperator.Gt)]
    [InlineData(FilterOperator.Gte)]
    [InlineData(FilterOperator.Lt)]
    [InlineData(FilterOperator.Lte)]
    [InlineData(FilterOperator.In)]
    [InlineData(FilterOperator.NotIn)]
    [InlineData(FilterOperator.Contains)]
    [InlineData(FilterOperator.StartsWith)]
    [InlineData(FilterOperator.EndsWith)]
    [InlineData(FilterOperator.Exists)]
    public async Task SearchAsync_each_operator_works_or_is_refused_as_capabilities_say(FilterOperator op)
    {
        var filter = op switch
        {
            FilterOperator.In or FilterOperator.NotIn => new FieldFilter("industry", op, null, [MetadataValue.FromString("fintech")]),
            FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte => new FieldFilter("founded", op, 2015),
            FilterOperator.Exists => new FieldFilter("industry", op, true),
            _ => new FieldFilter("industry", op, "fintech"),
        };
        var index = await CreateCompaniesAsync();
        var options = new SearchOptions { Filter = filter, TopK = 100 };

        if (!Capabilities.FilterOperators.Contains(op))
        {
            await Assert.ThrowsAsync<UnsupportedFilterException>(async () => await SearchAsync(index, [1, 0], options));
            return;
        }

        var result = await SearchAsync(index, [1, 0], options);

        Assert.Equal(Companies.Where(c => FilterEvaluator.Matches(filter, c.Metadata)).Select(c => c.Id.Value).Order(StringComparer.Ordinal), IdsOf(result).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SearchAsync_nesting_at_the_depth_limit_is_accepted_and_one_deeper_throws_InvalidFilter()
    {
        var index = await CreateCompaniesAsync();
        FilterExpression atLimit = Filter.Eq("industry", "fintech");
        for (var i = 0; i < FilterLimits.MaxDepth; i++)
        {
            atLimit = Filter.Not(atLimit);
        }

        var accepted = await SearchAsync(index, [1, 0], new SearchOptions { Filter = atLimit, TopK = 100 });
        var tooDeep = Filter.Not(atLimit);

        Assert.Equal(["acme", "zeta"], IdsOf(accepted).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        var error = await Assert.ThrowsAsync<InvalidFilterException>(async () => await SearchAsync(index, [1, 0], new SearchOptions { Filter = tooDeep }));
        Assert.StartsWith("filter", error.Errors[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_clause_count_at_the_limit_is_accepted_and_one_more_throws_InvalidFilter()
    {
        var index = await CreateCompaniesAsync();
        var clauses = Enumerable.Range(0, FilterLimits.MaxClauses).Select(i => (FilterExpression)Filter.Ne("industry", $"none-{i}")).ToList();

        var accepted = await SearchAsync(index, [1, 0], new SearchOptions { Filter = new AndFilter(clauses), TopK = 100 });
        var tooMany = new AndFilter([.. clauses, Filter.Ne("industry", "one-more")]);

        Assert.Equal(Companies.Length, accepted.Matches.Count);
        await Assert.ThrowsAsync<InvalidFilterException>(async () => await SearchAsync(index, [1, 0], new SearchOptions { Filter = tooMany }));
    }

    [Fact]
    public async Task SearchAsync_in_list_at_the_limit_is_accepted_and_one_longer_throws_InvalidFilter()
    {
        var index = await CreateCompaniesAsync();
        var values = Enumerable.Range(0, FilterLimits.MaxListLength - 1).Select(i => MetadataValue.FromString($"x-{i}")).Append("health").ToArray();

        var accepted = await SearchAsync(index, [1, 0], new SearchOptions { Filter = Filter.In("industry", values), TopK = 100 });
        var tooLong = Filter.In("industry", [.. values, "fintech"]);

        Assert.Equal(["bio"], IdsOf(accepted));
        await Assert.ThrowsAsync<InvalidFilterException>(async () => await SearchAsync(index, [1, 0], new SearchOptions { Filter = tooLong }));
    }

    [Fact]
    public async Task SearchAsync_malformed_filter_throws_InvalidFilter()
    {
        var index = await CreateCompaniesAsync();
        var numberAgainstText = new FieldFilter("founded", FilterOperator.Gt, "2015");
        var emptyOr = new OrFilter([]);

        await Assert.ThrowsAsync<InvalidFilterException>(async () => await SearchAsync(index, [1, 0], new SearchOptions { Filter = numberAgainstText }));
        await Assert.ThrowsAsync<InvalidFilterException>(async () => await SearchAsync(index, [1, 0], new SearchOptions { Filter = emptyOr }));
    }

    [Fact]
    public async Task SearchByIdAsync_filter_applies_to_the_neighbours()
    {
        var index = await CreateCompaniesAsync();

        var result = await Storage.SearchByIdAsync(index, Id("acme"), new SearchOptions { Filter = Filter.Eq("industry", "fintech"), TopK = 100 });

        Assert.Equal(["zeta"], IdsOf(result));
    }

    private static string[] Expected(string csv) => csv.Length == 0 ? [] : csv.Split(',');

    // A negated range is supported only where the backend says so (StorageCapabilities.NegatesRangeFilters).
    private bool Supports(FilterExpression filter, bool negated = false) => filter switch
    {
        FieldFilter f => Capabilities.FilterOperators.Contains(f.Operator)
            && (!negated || Capabilities.NegatesRangeFilters || f.Operator is not (FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte)),
        AndFilter a => a.Clauses.All(c => Supports(c, negated)),
        OrFilter o => o.Clauses.All(c => Supports(c, negated)),
        NotFilter n => Supports(n.Clause, !negated),
        _ => false,
    };

    private async Task<IndexName> CreateCompaniesAsync()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Companies);
        return index;
    }
}
