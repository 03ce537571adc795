namespace Theodore.Adapters.Native;

public static class NativeConstants
{
    /// <summary>The backend's name in capabilities, errors and telemetry (<c>db.system.name</c>).</summary>
    public const string SystemName = "theodore";
}
