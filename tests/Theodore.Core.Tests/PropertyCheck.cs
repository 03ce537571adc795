using FsCheck;
using FsCheck.Fluent;

namespace Theodore.Core.Tests;

/// <summary>Runs an FsCheck property inside an xunit fact; a counterexample fails the test with its shrunk input.</summary>
internal static class PropertyCheck
{
    public static void ForAll<T>(Arbitrary<T> arbitrary, Func<T, bool> property, int maxTest = 200) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), Prop.ForAll(arbitrary, property));
}
