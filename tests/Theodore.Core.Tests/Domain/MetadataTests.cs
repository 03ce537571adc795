using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain;

public sealed class MetadataTests
{
    [Fact]
    public void Create_keeps_typed_values()
    {
        var metadata = Metadata.Create(new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["name"] = "Acme",
            ["founded"] = 2015,
            ["public"] = true,
            ["tags"] = new[] { "b2b", "saas" },
        });

        Assert.Equal(4, metadata.Count);
        Assert.Equal("Acme", metadata["name"].AsString);
        Assert.Equal(2015, metadata["founded"].AsNumber);
        Assert.True(metadata["public"].AsBoolean);
        Assert.Equal(["b2b", "saas"], metadata["tags"].AsStringList);
        Assert.Equal(MetadataValueKind.StringList, metadata["tags"].Kind);
    }

    [Fact]
    public void Keys_are_ordinal_and_case_sensitive()
    {
        var metadata = Metadata.Create(new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["b"] = 1, ["B"] = 2, ["a"] = 3 });

        Assert.Equal(["B", "a", "b"], metadata.Keys, StringComparer.Ordinal);
        Assert.False(metadata.ContainsKey("A"));
        Assert.Equal(2, metadata["B"].AsNumber);
    }

    [Fact]
    public void Create_null_value_is_refused_at_its_key()
    {
        var values = new[] { KeyValuePair.Create("a", (MetadataValue)null!) };

        Expect.InvalidAt(() => Metadata.Create(values), "metadata.a");
    }

    [Fact]
    public void Create_key_of_64_characters_is_accepted()
    {
        var key = new string('k', 64);

        Assert.True(Metadata.Create([KeyValuePair.Create(key, (MetadataValue)1)]).ContainsKey(key));
    }

    [Theory]
    [InlineData(65)]
    [InlineData(0)]
    public void Create_key_of_wrong_length_is_refused(int length)
    {
        var ex = Expect.InvalidAt(() => Metadata.Create([KeyValuePair.Create(new string('k', length), (MetadataValue)1)]), "metadata");

        Assert.Contains("1 to 64 characters", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_duplicate_key_is_refused()
    {
        var values = new[] { KeyValuePair.Create("a", (MetadataValue)1), KeyValuePair.Create("a", (MetadataValue)2) };

        Expect.InvalidAt(() => Metadata.Create(values), "metadata.a");
    }

    [Fact]
    public void Create_lists_every_broken_rule()
    {
        var values = new[]
        {
            KeyValuePair.Create("a", (MetadataValue)null!),
            KeyValuePair.Create(new string('k', 65), (MetadataValue)1),
        };

        var ex = Assert.Throws<InvalidRequestException>(() => Metadata.Create(values, "vectors[2].metadata"));

        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.Path == "vectors[2].metadata.a");
    }

    [Fact]
    public void Create_exactly_40_kb_of_json_is_accepted()
    {
        // {"k":"..."} adds 8 bytes around the string.
        var metadata = Metadata.Create([KeyValuePair.Create("k", (MetadataValue)new string('x', Metadata.MaxSerializedBytes - 8))]);

        Assert.Equal(Metadata.MaxSerializedBytes, MetadataJson.SerializedSize(metadata));
    }

    [Fact]
    public void Create_one_byte_over_40_kb_is_refused()
    {
        var ex = Expect.InvalidAt(() => Metadata.Create([KeyValuePair.Create("k", (MetadataValue)new string('x', Metadata.MaxSerializedBytes - 7))]), "metadata");

        Assert.Contains("40961 bytes", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_41_kb_spread_over_many_keys_is_refused()
    {
        var values = Enumerable.Range(0, 41).Select(i => KeyValuePair.Create($"field{i}", (MetadataValue)new string('x', 1024)));

        Expect.InvalidAt(() => Metadata.Create(values), "metadata");
    }

    [Fact]
    public void Create_size_limit_counts_utf8_bytes_not_characters()
    {
        // 'ü' is two bytes in UTF-8; 20,480 of them are 40,960 bytes of string alone.
        Expect.InvalidAt(() => Metadata.Create([KeyValuePair.Create("k", (MetadataValue)new string('ü', 20_480))]), "metadata");
    }

    [Fact]
    public void TryCreate_reports_errors_without_throwing()
    {
        var errors = new List<RequestError>();

        var metadata = Metadata.TryCreate([KeyValuePair.Create("", (MetadataValue)1)], "metadata", errors);

        Assert.Null(metadata);
        Assert.Single(errors);
    }

    [Fact]
    public void Equals_ignores_insertion_order()
    {
        var a = Metadata.Create(new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["x"] = 1, ["y"] = "two" });
        var b = Metadata.Create([KeyValuePair.Create("y", (MetadataValue)"two"), KeyValuePair.Create("x", (MetadataValue)1)]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_differs_on_value_type_or_missing_key()
    {
        var a = Metadata.Create(new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["x"] = 1 });

        Assert.NotEqual(a, Metadata.Create(new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["x"] = "1" }));
        Assert.NotEqual(a, Metadata.Create(new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["x"] = 1, ["y"] = 1 }));
        Assert.NotEqual(a, Metadata.Empty);
        Assert.Equal(Metadata.Empty, Metadata.Create([]));
    }
}
