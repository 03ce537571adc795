using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class VectorIdTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(512)]
    public void Parse_length_within_limit_is_accepted(int length)
    {
        var value = new string('x', length);

        Assert.Equal(value, VectorId.Parse(value).Value);
    }

    [Theory]
    [InlineData("company:acme/42")]
    [InlineData("ünïcødé 🚀")]
    [InlineData(" ")]
    public void Parse_any_printable_text_is_accepted(string value) => Assert.Equal(value, VectorId.Parse(value).ToString());

    [Fact]
    public void Parse_513_characters_is_refused()
    {
        var ex = Expect.InvalidAt(() => VectorId.Parse(new string('x', 513)), "id");

        Assert.Contains("at most 512 characters, got 513", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_missing_id_is_refused(string? value)
    {
        var ex = Expect.InvalidAt(() => VectorId.Parse(value), "id");

        Assert.Contains("required", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\0")]
    [InlineData("\t")]
    [InlineData("x\u007f")]
    [InlineData("x\u0085")]
    public void Parse_control_characters_are_refused(string value)
    {
        var ex = Expect.InvalidAt(() => VectorId.Parse(value), "id");

        Assert.Contains("control characters", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_with_path_names_that_path()
    {
        Expect.InvalidAt(() => VectorId.Parse("", "vectors[3].id"), "vectors[3].id");
    }

    [Fact]
    public void Equals_is_ordinal_and_case_sensitive()
    {
        Assert.Equal(VectorId.Parse("Acme"), VectorId.Parse("Acme"));
        Assert.NotEqual(VectorId.Parse("Acme"), VectorId.Parse("acme"));
    }
}
