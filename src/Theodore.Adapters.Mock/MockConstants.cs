namespace Theodore.Adapters.Mock;

public static class MockConstants
{
    /// <summary>The backend's name in capabilities, errors and telemetry (<c>db.system.name</c>).</summary>
    public const string SystemName = "mock";
}
