namespace Theodore.Adapters.Native.Tests;

/// <summary>A clock the test moves by hand; timers (and so Task.Delay) still run on real time.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
