namespace Theodore.Adapters.Qdrant;

public static class QdrantConstants
{
    /// <summary>The backend's name in capabilities, errors and telemetry (<c>db.system.name</c>).</summary>
    public const string SystemName = "qdrant";
}
