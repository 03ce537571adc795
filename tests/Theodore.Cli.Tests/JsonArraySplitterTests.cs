using System.Text;
using System.Text.Json;
using Theodore.Cli.Import;

namespace Theodore.Cli.Tests;

public sealed class JsonArraySplitterTests
{
    [Fact]
    public void Next_splits_an_array_read_a_few_bytes_at_a_time_including_an_element_larger_than_the_buffer()
    {
        var big = new string('x', 200_000);
        var json = $$"""
            [ {"id":"a","name":"A"} ,
              {"id":"big","description":"{{big}}"},
              "text, with a comma ]", [1,[2]], null,
              {"id":"z"}
            ]
            """;
        var splitter = new JsonArraySplitter(new TrickleStream(Encoding.UTF8.GetBytes(json), 7));

        var elements = new List<string>();
        while (splitter.Next() is { } element)
        {
            elements.Add(Encoding.UTF8.GetString(element));
        }

        Assert.Equal(6, elements.Count);
        Assert.Equal("""{"id":"a","name":"A"}""", elements[0]);
        Assert.Equal(big, JsonDocument.Parse(elements[1]).RootElement.GetProperty("description").GetString());
        Assert.Equal("\"text, with a comma ]\"", elements[2]);
        Assert.Equal("[1,[2]]", elements[3]);
        Assert.Equal("null", elements[4]);
        Assert.Equal("""{"id":"z"}""", elements[5]);
        Assert.All(elements, e => Assert.DoesNotContain('\n', e));
    }

    [Fact]
    public void Next_on_an_empty_array_returns_nothing()
    {
        var splitter = new JsonArraySplitter(new MemoryStream("  [ ]  "u8.ToArray()));

        Assert.Null(splitter.Next());
    }

    [Theory]
    [InlineData("[{\"id\":\"a\"}, {\"id\":")]
    [InlineData("[{\"id\":\"a\"} {\"id\":\"b\"}]")]
    [InlineData("{\"id\":\"a\"}")]
    public void Next_throws_a_JsonException_for_what_is_not_a_json_array(string json)
    {
        var splitter = new JsonArraySplitter(new TrickleStream(Encoding.UTF8.GetBytes(json), 3));

        Assert.ThrowsAny<JsonException>(() =>
        {
            while (splitter.Next() is not null)
            {
            }
        });
    }

    /// <summary>A stream that hands out at most a few bytes per read, as a slow pipe would.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
