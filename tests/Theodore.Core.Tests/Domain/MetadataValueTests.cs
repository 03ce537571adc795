using FsCheck.Fluent;
using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class MetadataValueTests
{
    [Fact]
    public void Equals_same_kind_and_value_is_equal_with_equal_hash()
    {
        AssertEqual(MetadataValue.FromString("x"), "x");
        AssertEqual(MetadataValue.FromNumber(2), 2.0);
        AssertEqual(MetadataValue.FromBoolean(true), MetadataValue.True);
        AssertEqual(MetadataValue.FromStrings(["a", "b"]), new[] { "a", "b" });
        AssertEqual(MetadataValue.FromStrings([]), MetadataValue.FromStrings(new List<string>()));
        AssertEqual(MetadataValue.FromNumber(0.0), MetadataValue.FromNumber(-0.0));
    }

    [Fact]
    public void Equals_different_kind_or_value_is_not_equal()
    {
        Assert.NotEqual(MetadataValue.FromString("1"), MetadataValue.FromNumber(1));
        Assert.NotEqual(MetadataValue.FromNumber(1), MetadataValue.True);
        Assert.NotEqual(MetadataValue.FromNumber(0), MetadataValue.False);
        Assert.NotEqual(MetadataValue.FromString("a"), MetadataValue.FromStrings(["a"]));
        Assert.NotEqual(MetadataValue.FromStrings(["a", "b"]), MetadataValue.FromStrings(["b", "a"]));
        Assert.NotEqual(MetadataValue.FromString("a"), MetadataValue.FromString("A"));
        Assert.False(MetadataValue.FromString("a").Equals(null));
    }

    [Fact]
    public void GetHashCode_agrees_with_equals_for_random_values()
    {
        var pairs = FsCheck.Fluent.Gen.Two(MetadataGenerators.Value());

        PropertyCheck.ForAll(pairs.ToArbitrary(), p => !p.Item1.Equals(p.Item2) || p.Item1.GetHashCode() == p.Item2.GetHashCode());
        PropertyCheck.ForAll(MetadataGenerators.Value().ToArbitrary(), v =>
        {
            var copy = v.Kind switch
            {
                MetadataValueKind.String => MetadataValue.FromString(new string(v.AsString.AsSpan())),
                MetadataValueKind.Number => MetadataValue.FromNumber(v.AsNumber),
                MetadataValueKind.Boolean => MetadataValue.FromBoolean(v.AsBoolean),
                _ => MetadataValue.FromStrings(v.AsStringList.ToList()),
            };
            return copy.Equals(v) && copy.GetHashCode() == v.GetHashCode();
        });
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void FromNumber_non_finite_is_refused(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MetadataValue.FromNumber(value));
    }

    [Fact]
    public void FromStrings_with_null_item_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MetadataValue.FromStrings(["a", null!]));
        Assert.Throws<ArgumentNullException>(() => MetadataValue.FromString(null!));
    }

    [Fact]
    public void FromStrings_copies_the_list()
    {
        var source = new List<string> { "a" };
        var value = MetadataValue.FromStrings(source);

        source.Add("b");

        Assert.Equal(["a"], value.AsStringList);
    }

    [Fact]
    public void As_wrong_kind_throws()
    {
        Assert.Throws<InvalidOperationException>(() => MetadataValue.FromString("x").AsNumber);
        Assert.Throws<InvalidOperationException>(() => MetadataValue.FromNumber(1).AsBoolean);
        Assert.Throws<InvalidOperationException>(() => MetadataValue.True.AsString);
        Assert.Throws<InvalidOperationException>(() => MetadataValue.FromString("x").AsStringList);
    }

    [Fact]
    public void ToString_is_invariant()
    {
        Assert.Equal("x", MetadataValue.FromString("x").ToString());
        Assert.Equal("1.5", MetadataValue.FromNumber(1.5).ToString());
        Assert.Equal("true", MetadataValue.True.ToString());
        Assert.Equal("[a, b]", MetadataValue.FromStrings(["a", "b"]).ToString());
    }

    private static void AssertEqual(MetadataValue a, MetadataValue b)
    {
        Assert.Equal(a, b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
