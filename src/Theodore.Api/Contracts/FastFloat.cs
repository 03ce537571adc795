using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Theodore.Api.Contracts;

/// <summary>
/// Parses the JSON numbers embeddings are made of (a small decimal exponent, any number of digits) to the correctly
/// rounded float, several times faster than the general parser, and declines everything else so the caller falls back
/// to it. The first 19 significant digits are read, eight at a time where they run on, into an integer w, and the
/// decimal is approximated by a double: w times or divided by an exact power of ten (Clinger's fast path). When w is
/// below 2^53 and no digit was left out, that double is the decimal correctly rounded, and it rounds to the same float
/// unless it lies exactly halfway between two floats. Otherwise it is within three of its own units in the last place
/// (half for rounding w, half for each of at most two powers, less than one for the digits left out), and it rounds to
/// the same float as the decimal unless a midpoint between two floats lies within <see cref="MidpointMargin"/> units
/// of it (twice three, for a double just above a power of two, whose unit is twice the one below). Both cases are
/// declined.
/// </summary>
internal static class FastFloat
{
    private const int MaxDigits = 19;

    /// <summary>A double's low 29 bits at a float midpoint: the first bit below a float's 24-bit significand.</summary>
    private const ulong Midpoint = 0x1000_0000UL;

    private const ulong BelowFloat = 0x1FFF_FFFFUL;

    /// <summary>How near (in a double's units in the last place) an inexact double may come to a midpoint.</summary>
    private const ulong MidpointMargin = 8;

    private const ulong TwoTo53 = 1UL << 53;

    /// <summary>2^-126: below it floats lose significand bits, and their midpoints are elsewhere.</summary>
    private const double SmallestNormalFloat = 1.1754943508222875e-38;

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

        ulong significand = 0;
        var significant = 0;
        var dropped = 0;
        var leading = 0;
        i = ReadDigits(text, i, ref significand, ref significant, ref dropped, ref leading);
        var exponent = dropped;
        if (i < text.Length && text[i] == (byte)'.')
        {
            var taken = significant + leading;
            i = ReadDigits(text, i + 1, ref significand, ref significant, ref dropped, ref leading);
            exponent -= significant + leading - taken;
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

        var exact = significand <= TwoTo53 && dropped == 0;
        double approximate;
        if (significand == 0)
        {
            approximate = 0;
        }
        else if (exponent is >= 0 and <= 22)
        {
            approximate = significand * PowersOfTen[exponent];
        }
        else if (exponent is < 0 and >= -22)
        {
            approximate = significand / PowersOfTen[-exponent];
        }
        else if (exponent is < -22 and >= -44)
        {
            // two exact powers, two roundings: within the margin, never exact
            approximate = significand / PowersOfTen[22] / PowersOfTen[-exponent - 22];
            exact = false;
            if (approximate < SmallestNormalFloat)
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        var low = BitConverter.DoubleToUInt64Bits(approximate) & BelowFloat;
        if (exact ? low == Midpoint : low - (Midpoint - MidpointMargin) <= 2 * MidpointMargin)
        {
            return false;
        }

        var rounded = (float)approximate;
        if (!float.IsFinite(rounded))
        {
            return false;
        }

        value = negative ? -rounded : rounded;
        return true;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    /// <summary>
    /// Reads a run of digits from <paramref name="i"/> into <paramref name="significand"/>, eight at a time once a
    /// nonzero digit was seen; zeros before it count as <paramref name="leading"/>, digits after the first
    /// <see cref="MaxDigits"/> significant ones as <paramref name="dropped"/>. Returns where the run ends.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadDigits(ReadOnlySpan<byte> text, int i, ref ulong significand, ref int significant, ref int dropped, ref int leading)
    {
        while (true)
        {
            if (significant <= MaxDigits - 8 && i + 8 <= text.Length)
            {
                var chunk = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(text), i));
                if (AreEightDigits(chunk))
                {
                    var zeros = 0;
                    if (significand == 0)
                    {
                        // the first digit is the lowest byte: zero bytes at the bottom are leading zeros
                        var values = chunk - 0x3030_3030_3030_3030UL;
                        zeros = values == 0 ? 8 : BitOperations.TrailingZeroCount(values) >> 3;
                        leading += zeros;
                    }

                    significand = (significand * 100_000_000) + EightDigits(chunk);
                    significant += 8 - zeros;
                    i += 8;
                    continue;
                }
            }

            if ((uint)i >= (uint)text.Length)
            {
                return i;
            }

            var digit = (uint)(text[i] - '0');
            if (digit > 9)
            {
                return i;
            }

            i++;
            if (significand == 0 && digit == 0)
            {
                leading++;
            }
            else if (significant < MaxDigits)
            {
                significand = (significand * 10) + digit;
                significant++;
            }
            else
            {
                dropped++;
            }
        }
    }

    // Every byte is 0x30-0x39: its high nibble is 3, and adding 6 does not carry into it.
    private static bool AreEightDigits(ulong chunk) =>
        ((chunk & 0xF0F0_F0F0_F0F0_F0F0UL) | (((chunk + 0x0606_0606_0606_0606UL) & 0xF0F0_F0F0_F0F0_F0F0UL) >> 4)) == 0x3333_3333_3333_3333UL;

    // Eight ASCII digits, the first in the lowest byte (little-endian), to their value: pairs, then fours, then eight.
    private static ulong EightDigits(ulong chunk)
    {
        chunk -= 0x3030_3030_3030_3030UL;
        chunk = (chunk * 10) + (chunk >> 8);
        return (((chunk & 0x0000_00FF_0000_00FFUL) * (100 + (1_000_000UL << 32))) + (((chunk >> 16) & 0x0000_00FF_0000_00FFUL) * (1 + (10_000UL << 32)))) >> 32;
    }
}
