using System.Text;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Durability;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_standard_check_input_gives_the_castagnoli_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Compute_empty_input_is_zero()
    {
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Theory]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Compute_known_strings_match_published_values(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Append_in_pieces_equals_compute_of_the_whole()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        for (var split = 0; split <= data.Length; split += 37)
        {
            Assert.Equal(Crc32C.Compute(data), Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}
