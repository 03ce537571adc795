namespace Theodore.Engine.Tests;

/// <summary>
/// Tests that assert a rate (searches that keep their turn while writers churn) run alone, after the parallel ones:
/// beside another test class on two cores they measured the runner's own load (5,327 searches in 5 s one run in
/// three of the suite under a busy machine, against about 180,000 alone).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoloGroup
{
    public const string Name = "solo: rate assertions";
}
