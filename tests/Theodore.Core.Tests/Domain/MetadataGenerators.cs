using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

/// <summary>Random metadata within the rules: valid UTF-16 text, finite numbers, small enough for the 40 KB cap.</summary>
internal static class MetadataGenerators
{
    private static readonly string[] Words = ["", "a", "fintech", "Fintech", "DE", "fr", "über", "東京", "🚀 rocket", "quote\"back\\slash", "tab\tnew\nline", "a.b", "$eq"];

    public static Gen<string> Text() =>
        Gen.Frequency(
            (3, Gen.Elements(Words)),
            (2, ArbMap.Default.ArbFor<string>().Generator.Where(s => s is not null && IsValidUtf16(s))));

    public static Gen<double> Number() =>
        Gen.Frequency(
            (2, Gen.Choose(-5000, 5000).Select(i => (double)i)),
            (1, Gen.Elements(0.1, -0.0, 1e-300, 1.7976931348623157e308, double.Epsilon, 3.14159, 1e21)),
            (2, ArbMap.Default.ArbFor<double>().Generator.Where(double.IsFinite)));

    public static Gen<MetadataValue> Value() =>
        Gen.OneOf(
            Text().Select(MetadataValue.FromString),
            Number().Select(MetadataValue.FromNumber),
            Gen.Elements(MetadataValue.True, MetadataValue.False),
            Gen.ListOf(Text()).Select(l => MetadataValue.FromStrings(l)));

    public static Gen<string> Key() =>
        Text().Where(k => k.Length is >= 1 and <= Core.Domain.Metadata.MaxKeyLength);

    public static Gen<Core.Domain.Metadata> Metadata() =>
        from pairs in Gen.ListOf(Gen.Zip(Key(), Value()))
        select Core.Domain.Metadata.Create(pairs
            .DistinctBy(p => p.Item1, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Item1, p.Item2)));

    private static bool IsValidUtf16(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
