using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class IndexNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData("companies")]
    [InlineData("companies-v2")]
    [InlineData("0-index")]
    [InlineData("a--b")]
    public void Parse_valid_name_keeps_its_value(string value)
    {
        var name = IndexName.Parse(value);

        Assert.Equal(value, name.Value);
        Assert.Equal(value, name.ToString());
    }

    [Fact]
    public void Parse_name_of_45_characters_is_accepted()
    {
        var value = new string('a', 45);

        Assert.Equal(value, IndexName.Parse(value).Value);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData(null, "required")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "a", "at most 45 characters, got 46")]
    [InlineData("Companies", "a-z, 0-9 and '-'")]
    [InlineData("-companies", "starts and ends with a letter or digit")]
    [InlineData("companies-", "starts and ends with a letter or digit")]
    [InlineData("-", "starts and ends with a letter or digit")]
    [InlineData("café", "a-z, 0-9 and '-'")]
    [InlineData("my index", "a-z, 0-9 and '-'")]
    [InlineData("my_index", "a-z, 0-9 and '-'")]
    [InlineData("my.index", "a-z, 0-9 and '-'")]
    [InlineData("ｃｏｍｐａｎｙ", "a-z, 0-9 and '-'")]
    public void Parse_invalid_name_is_refused_with_a_message(string? value, string messagePart)
    {
        var ex = Expect.InvalidAt(() => IndexName.Parse(value), "name");

        Assert.Contains(messagePart, ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains(messagePart, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_invalid_name_returns_false_and_the_reason()
    {
        var ok = IndexName.TryParse("Bad Name", out var name, out var error);

        Assert.False(ok);
        Assert.Null(name);
        Assert.NotNull(error);
    }

    [Fact]
    public void TryParse_valid_name_returns_true_without_error()
    {
        var ok = IndexName.TryParse("good-name", out var name, out var error);

        Assert.True(ok);
        Assert.Equal("good-name", name!.Value);
        Assert.Null(error);
    }

    [Fact]
    public void Equals_same_value_is_equal()
    {
        Assert.Equal(IndexName.Parse("a-1"), IndexName.Parse("a-1"));
        Assert.NotEqual(IndexName.Parse("a-1"), IndexName.Parse("a-2"));
    }
}
