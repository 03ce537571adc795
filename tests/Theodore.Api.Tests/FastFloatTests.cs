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
    [InlineData("0.012345678901234567")]
    [InlineData("-0.0471164211630821228")]
    [InlineData("12345678901234567890123")]
    [InlineData("0.00000000000000000000012345678901234567890123")]
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

        // The fast path must take the numbers embeddings are made of, or it is not worth having: a float's shortest
        // form and a double's 17 digits (what JSON writers give for a float widened to double) alike. What it declines
        // here (about 0.6 %) are integers above 2^24 written to 7 digits, which land exactly on float midpoints.
        Assert.True(declined < 10_000, $"declined {declined} of 1,000,000");
    }

    [Fact]
    public void TryParse_agrees_with_float_parse_on_long_random_decimals_and_near_midpoints()
    {
        var random = new Random(20261206);
        var declined = 0;
        for (var i = 0; i < 200_000; i++)
        {
            // 1-40 random digits around a random decimal point: many more than the 19 the fast path reads.
            var digits = new char[random.Next(1, 41)];
            for (var d = 0; d < digits.Length; d++)
            {
                digits[d] = (char)('0' + random.Next(10));
            }

            var point = random.Next(0, digits.Length + 1);
            var text = (random.Next(2) == 0 ? "-" : string.Empty) + (point == 0 ? "0" : new string(digits, 0, point)) +
                (point < digits.Length ? "." + new string(digits, point, digits.Length - point) : string.Empty);
            declined += AssertAgrees(text) ? 0 : 1;
        }

        Assert.True(declined < 20_000, $"declined {declined} of 200,000");

        // Decimals a hair's breadth beyond a midpoint whose first 19 digits make a double one unit on the near side
        // of it: a double that is not itself a midpoint is still too close to trust (found by a search in Python).
        foreach (var text in new[]
        {
            "-5.6243794038891792297419525e-2", "-1.5578600730236316915088282296879250935215e-19",
            "7.3615622241050004959032829690258949995041e-3", "-9.8182768598520606149609744e-17",
        })
        {
            AssertAgrees(text);
        }

        // A float midpoint written out with more digits than are read, a little above and below it: the decimal
        // decides the rounding, so the fast path must either agree or decline.
        foreach (var midpoint in new[] { 16777217m, 1.000000059604644775390625m, 0.500000029802322387695312m })
        {
            foreach (var offset in new[] { 1e-20m, -1e-20m, 1e-24m, -1e-24m, 0m })
            {
                AssertAgrees((midpoint + offset).ToString(CultureInfo.InvariantCulture));
            }
        }
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
        Assert.False(FastFloat.TryParse("16777217.00000000000000000001"u8, out _));
        Assert.False(FastFloat.TryParse("1e-45"u8, out _));
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
