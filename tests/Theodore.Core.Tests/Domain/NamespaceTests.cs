using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class NamespaceTests
{
    [Fact]
    public void Default_is_the_empty_namespace()
    {
        Namespace ns = default;

        Assert.Equal(string.Empty, ns.Value);
        Assert.True(ns.IsDefault);
        Assert.Equal(Namespace.Default, ns);
        Assert.Equal(Namespace.Parse(""), ns);
        Assert.Equal(Namespace.Parse(null), ns);
        Assert.True(Namespace.Parse("") == default);
        Assert.Equal(default(Namespace).GetHashCode(), Namespace.Parse("").GetHashCode());
    }

    [Fact]
    public void Parse_named_namespace_keeps_its_value()
    {
        var ns = Namespace.Parse("tenant-a");

        Assert.Equal("tenant-a", ns.Value);
        Assert.Equal("tenant-a", ns.ToString());
        Assert.False(ns.IsDefault);
        Assert.NotEqual(Namespace.Default, ns);
    }

    [Fact]
    public void Equals_same_value_is_equal_with_equal_hash()
    {
        var a = Namespace.Parse("tenant-a");
        var b = Namespace.Parse(string.Concat("tenant-", "a"));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Namespace.Parse("Tenant-a"));
    }

    [Fact]
    public void Parse_512_characters_is_accepted()
    {
        Assert.Equal(512, Namespace.Parse(new string('n', 512)).Value.Length);
    }

    [Fact]
    public void Parse_513_characters_is_refused()
    {
        var ex = Expect.InvalidAt(() => Namespace.Parse(new string('n', 513)), "namespace");

        Assert.Contains("at most 512", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_control_character_is_refused_at_the_given_path()
    {
        Expect.InvalidAt(() => Namespace.Parse("a\rb", "request.namespace"), "request.namespace");
    }

    [Fact]
    public void TryParse_invalid_returns_false_and_default()
    {
        var ok = Namespace.TryParse("bad\u0001", out var ns, out var error);

        Assert.False(ok);
        Assert.True(ns.IsDefault);
        Assert.NotNull(error);
    }
}
