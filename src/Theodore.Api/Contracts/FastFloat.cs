namespace Theodore.Api.Contracts;

/// <summary>
/// Parses the JSON numbers embeddings are made of (up to 15 significant digits, a small exponent) to the correctly
/// rounded float, several times faster than the general parser, and declines everything else so the caller falls back
/// to it. The decimal is first rounded to a double exactly (Clinger's fast path: an integer below 2^53 times or
/// divided by an exact power of ten); that double rounds to the same float as the decimal unless it lies exactly
/// halfway between two floats, which is declined.
/// </summary>
internal static class FastFloat
{
    private const int MaxDigits = 15;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>A JSON number token (RFC 8259 grammar, already checked by the reader) to a float; false when declined.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        var i = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        ulong mantissa = 0;
        var digits = 0;
        var exponent = 0;
        for (; i < text.Length && IsDigit(text[i]); i++)
        {
            if (!Accumulate(ref mantissa, ref digits, text[i]))
            {
                return false;
            }
        }

        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length && IsDigit(text[i]); i++)
            {
                if (!Accumulate(ref mantissa, ref digits, text[i]))
                {
                    return false;
                }

                exponent--;
            }
        }

        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            var negativeExponent = false;
            if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
            {
                negativeExponent = text[i] == (byte)'-';
                i++;
            }

            var written = 0;
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                written = (written * 10) + (text[i] - '0');
                if (written > 1000)
                {
                    return false;
                }
            }

            exponent += negativeExponent ? -written : written;
        }

        if (i != text.Length)
        {
            return false;
        }

        double exact;
        if (mantissa == 0)
        {
            exact = 0;
        }
        else if (exponent is >= 0 and <= 22)
        {
            exact = mantissa * PowersOfTen[exponent];
        }
        else if (exponent is < 0 and >= -22)
        {
            exact = mantissa / PowersOfTen[-exponent];
        }
        else
        {
            return false;
        }

        // A double exactly halfway between two floats may stand for a decimal just off the midpoint: decline it.
        var bits = BitConverter.DoubleToUInt64Bits(exact);
        if ((bits & 0x1FFF_FFFFUL) == 0x1000_0000UL)
        {
            return false;
        }

        var rounded = (float)exact;
        if (!float.IsFinite(rounded))
        {
            return false;
        }

        value = negative ? -rounded : rounded;
        return true;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    // Leading zeros cost nothing; more than 15 significant digits could pass 2^53 and are declined.
    private static bool Accumulate(ref ulong mantissa, ref int digits, byte c)
    {
        if (mantissa == 0 && c == (byte)'0')
        {
            return true;
        }

        if (++digits > MaxDigits)
        {
            return false;
        }

        mantissa = (mantissa * 10) + (ulong)(c - '0');
        return true;
    }
}
