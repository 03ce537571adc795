using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Mock.Tests.Conformance;

/// <summary>On a mock whose clock the test moves, so expiry is exact.</summary>
public sealed class MockSoftDeleteTests : SoftDeleteConformance
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected override DateTimeOffset Now => _clock.Now;

    protected override IVectorStorage CreateStorage() => new MockVectorStorage(time: _clock);

    protected override bool TryAdvanceClock(TimeSpan by)
    {
        _clock.Now += by;
        return true;
    }
}
