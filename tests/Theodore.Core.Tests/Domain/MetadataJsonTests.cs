using System.Text.Json;
using FsCheck.Fluent;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain;

public sealed class MetadataJsonTests
{
    [Fact]
    public void Read_object_gives_typed_values()
    {
        var metadata = Read("""{"name":"Acme","founded":2015,"rating":4.5,"public":false,"tags":["b2b","saas"],"empty":[]}""");

        Assert.Equal("Acme", metadata["name"].AsString);
        Assert.Equal(2015, metadata["founded"].AsNumber);
        Assert.Equal(4.5, metadata["rating"].AsNumber);
        Assert.False(metadata["public"].AsBoolean);
        Assert.Equal(["b2b", "saas"], metadata["tags"].AsStringList);
        Assert.Empty(metadata["empty"].AsStringList);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    public void Read_null_or_empty_object_is_empty_metadata(string json)
    {
        Assert.Equal(Metadata.Empty, Read(json));
        Assert.Empty(Read(json));
    }

    [Fact]
    public void Read_null_value_names_its_key()
    {
        var ex = Expect.InvalidAt(() => Read("""{"a":null}"""), "metadata.a");

        Assert.Contains("must not be null", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_nested_object_is_refused()
    {
        var ex = Expect.InvalidAt(() => Read("""{"address":{"city":"Berlin"}}"""), "metadata.address");

        Assert.Contains("nested objects", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"tags":["a",1]}""", "metadata.tags[1]")]
    [InlineData("""{"tags":[null]}""", "metadata.tags[0]")]
    [InlineData("""{"tags":["a","b",["c"]]}""", "metadata.tags[2]")]
    [InlineData("""{"tags":[true]}""", "metadata.tags[0]")]
    public void Read_list_with_a_non_string_item_names_the_item(string json, string path)
    {
        var ex = Expect.InvalidAt(() => Read(json), path);

        Assert.Contains("strings only", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_key_of_65_characters_is_refused()
    {
        Expect.InvalidAt(() => Read($$"""{"{{new string('k', 65)}}":1}"""), "metadata");
    }

    [Fact]
    public void Read_number_beyond_double_range_is_refused()
    {
        Expect.InvalidAt(() => Read("""{"big":1e400}"""), "metadata.big");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    public void Read_non_object_is_refused(string json)
    {
        var ex = Expect.InvalidAt(() => Read(json), "metadata");

        Assert.Contains("JSON object", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_reports_every_problem_at_once()
    {
        var errors = new List<RequestError>();
        using var document = JsonDocument.Parse("""{"a":null,"b":{"c":1},"ok":1,"d":[1]}""");

        var metadata = MetadataJson.Read(document.RootElement, "vectors[0].metadata", errors);

        Assert.Null(metadata);
        Assert.Equal(["vectors[0].metadata.a", "vectors[0].metadata.b", "vectors[0].metadata.d[0]"], errors.Select(e => e.Path), StringComparer.Ordinal);
    }

    [Fact]
    public void Read_duplicate_key_is_refused()
    {
        Expect.InvalidAt(() => Read("""{"a":1,"a":2}"""), "metadata.a");
    }

    [Fact]
    public void Read_exactly_40_kb_is_accepted_and_41_kb_refused()
    {
        var atLimit = $$"""{"k":"{{new string('x', Metadata.MaxSerializedBytes - 8)}}"}""";
        var over = $$"""{"k":"{{new string('x', 41 * 1024)}}"}""";

        Assert.Equal(Metadata.MaxSerializedBytes, MetadataJson.SerializedSize(Read(atLimit)));
        Expect.InvalidAt(() => Read(over), "metadata");
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "metadata.a")]
    [InlineData("""{"tags":["ok","\udc00x"]}""", "metadata.tags[1]")]
    [InlineData("""{"\ud800":1}""", "metadata")]
    public void Read_unpaired_surrogate_escape_is_an_invalid_request(string json, string path)
    {
        Expect.InvalidAt(() => Read(json), path);
    }

    [Fact]
    public void ToJson_writes_compact_json_in_key_order()
    {
        var metadata = Metadata.Create(new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["tags"] = new[] { "x" },
            ["b"] = true,
            ["a"] = 1.5,
            ["c"] = "s",
        });

        Assert.Equal("""{"a":1.5,"b":true,"c":"s","tags":["x"]}""", MetadataJson.ToJson(metadata));
    }

    [Fact]
    public void ToJson_then_Read_round_trips_any_metadata()
    {
        PropertyCheck.ForAll(MetadataGenerators.Metadata().ToArbitrary(), metadata =>
        {
            var json = MetadataJson.ToJson(metadata);
            return Read(json).Equals(metadata) && MetadataJson.SerializedSize(metadata) == System.Text.Encoding.UTF8.GetByteCount(json);
        });
    }

    private static Metadata Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return MetadataJson.Read(document.RootElement);
    }
}
