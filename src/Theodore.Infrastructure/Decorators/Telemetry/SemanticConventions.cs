namespace Theodore.Infrastructure.Decorators.Telemetry;

/// <summary>Attribute names: OpenTelemetry's database conventions, and Theodore's own where those have none.</summary>
public static class SemanticConventions
{
    public const string SystemName = "db.system.name";
    public const string CollectionName = "db.collection.name";
    public const string Namespace = "db.namespace";
    public const string OperationName = "db.operation.name";
    public const string BatchSize = "db.operation.batch.size";
    public const string ReturnedRows = "db.response.returned_rows";
    public const string ErrorType = "error.type";
    public const string TopK = "db.vector.query.top_k";
    public const string Outcome = "theodore.outcome";
    public const string CacheHit = "theodore.cache.hit";
}
