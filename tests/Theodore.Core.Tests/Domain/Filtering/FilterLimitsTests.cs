using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain.Filtering;

public sealed class FilterLimitsTests
{
    [Fact]
    public void Validate_filter_within_limits_passes()
    {
        FilterLimits.Validate(Filter.And(Filter.Eq("a", 1), Filter.Or(Filter.In("b", "x", "y"), Filter.Not(Filter.Exists("c")))));
    }

    [Fact]
    public void Validate_8_logical_levels_pass_and_9_are_refused()
    {
        FilterLimits.Validate(NestedNots(8));

        var ex = Assert.Throws<InvalidFilterException>(() => FilterLimits.Validate(NestedNots(9)));
        Assert.Equal(ErrorCodes.InvalidFilter, ex.Code);
    }

    [Fact]
    public void Validate_very_deep_tree_is_refused_without_walking_it_all()
    {
        Assert.Throws<InvalidFilterException>(() => FilterLimits.Validate(NestedNots(100_000)));
    }

    [Fact]
    public void Validate_257_field_conditions_are_refused()
    {
        FilterLimits.Validate(Conditions(256));

        Assert.Throws<InvalidFilterException>(() => FilterLimits.Validate(Conditions(257)));
    }

    [Fact]
    public void Validate_in_list_of_1025_values_is_refused()
    {
        var values = Enumerable.Range(0, 1025).Select(i => (MetadataValue)i).ToArray();

        FilterLimits.Validate(Filter.In("a", values[..1024]));
        Assert.Throws<InvalidFilterException>(() => FilterLimits.Validate(Filter.In("a", values)));
    }

    [Theory]
    [MemberData(nameof(BrokenFilters))]
    public void Validate_structurally_broken_filter_is_refused(string description)
    {
        var filter = Broken[description];

        Expect.FilterErrorAt(() => FilterLimits.Validate(filter, "query.filter"), "query.filter");
    }

    [Fact]
    public void Validate_names_the_clause_inside_a_group()
    {
        Expect.FilterErrorAt(() => FilterLimits.Validate(Filter.Or(Filter.Eq("a", 1), Filter.Gt("b", 1) with { Value = "x" })), "filter[1]");
    }

    public static TheoryData<string> BrokenFilters() => new(Broken.Keys);

    private static readonly Dictionary<string, FilterExpression> Broken = new(StringComparer.Ordinal)
    {
        ["empty and"] = new AndFilter([]),
        ["empty or"] = new OrFilter([]),
        ["empty field name"] = Filter.Eq("", 1),
        ["field name of 65"] = Filter.Eq(new string('f', 65), 1),
        ["gt with string"] = new FieldFilter("a", FilterOperator.Gt, "x"),
        ["contains with number"] = new FieldFilter("a", FilterOperator.Contains, 1),
        ["exists with string"] = new FieldFilter("a", FilterOperator.Exists, "yes"),
        ["eq without value"] = new FieldFilter("a", FilterOperator.Eq, null),
        ["eq with list"] = new FieldFilter("a", FilterOperator.Eq, new[] { "x" }),
        ["in without values"] = new FieldFilter("a", FilterOperator.In, null),
        ["in with empty list"] = Filter.In("a"),
        ["in with list item"] = Filter.In("a", new[] { "x" }),
        ["unknown operator"] = new FieldFilter("a", (FilterOperator)99, 1),
    };

    private static FilterExpression NestedNots(int levels)
    {
        FilterExpression filter = Filter.Eq("a", 1);
        for (var i = 0; i < levels; i++)
        {
            filter = Filter.Not(filter);
        }

        return filter;
    }

    private static OrFilter Conditions(int count) =>
        Filter.Or(Filter.And(Enumerable.Range(0, count / 2).Select(i => (FilterExpression)Filter.Eq($"f{i}", i)).ToArray()),
                  Filter.And(Enumerable.Range(0, count - (count / 2)).Select(i => (FilterExpression)Filter.Eq($"g{i}", i)).ToArray()));
}
