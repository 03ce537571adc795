using System.Globalization;
using System.Text;
using Theodore.Api.Contracts;

namespace Theodore.Api.Tests;

/// <summary>The fast parser agrees bit for bit with the runtime's correctly rounded float parser, or declines.</summary>
public sealed class FastFloatTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("1")]
    [InlineData("-2.5")]
    [InlineData("0.053781416")]
    [InlineData("-0.0012345678")]
    [InlineData("3.4028235e38")]
    [InlineData("1e-22")]
    [InlineData("123456789012345")]
    [InlineData("0.1")]
    [InlineData("16777217")]
    [InlineData("1.00000005960464477539")]
    public void TryParse_agrees_with_float_parse_or_declines(string text) => AssertAgrees(text);

    [Fact]
    public void TryParse_agrees_with_float_parse_on_a_million_random_numbers_in_every_format()
    {
        var random = new Random(20261205);
        var declined = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            var value = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 12)));
            var text = (i % 4) switch
            {
                0 => value.ToString("R", CultureInfo.InvariantCulture),
                1 => value.ToString("E6", CultureInfo.InvariantCulture),
                2 => ((double)value).ToString("R", CultureInfo.InvariantCulture),
                _ => value.ToString("F" + random.Next(0, 12).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            };
            declined += AssertAgrees(text) ? 0 : 1;
        }

        // The fast path must take the numbers embeddings are made of, or it is not worth having.
        Assert.True(declined < 300_000, $"declined {declined} of 1,000,000");
    }

    [Fact]
    public void TryParse_declines_float_midpoints_and_what_it_cannot_round_exactly()
    {
        // 2^24 + 1 is exactly halfway between two floats (ties go to even, which the general parser does); a decimal
        // just above it must round up, and does on the fast path.
        Assert.False(FastFloat.TryParse("16777217"u8, out _));
        Assert.True(FastFloat.TryParse("16777217.000001"u8, out var above));
        Assert.Equal(16777218f, above);
        Assert.False(FastFloat.TryParse("1.000000059604644775390625"u8, out _));
        Assert.False(FastFloat.TryParse("1e-40"u8, out _));
        Assert.False(FastFloat.TryParse("1e39"u8, out _));
        Assert.False(FastFloat.TryParse("12345678901234567"u8, out _));
    }

    private static bool AssertAgrees(string text)
    {
        if (!FastFloat.TryParse(Encoding.ASCII.GetBytes(text), out var fast))
        {
            return false;
        }

        var expected = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(fast), $"{text}: expected {expected:R}, got {fast:R}");
        return true;
    }
}
