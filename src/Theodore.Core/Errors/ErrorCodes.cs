namespace Theodore.Core.Errors;

/// <summary>Machine-readable error codes; the HTTP API returns them as the problem's <c>code</c>.</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string DimensionMismatch = "dimension_mismatch";
    public const string InvalidFilter = "invalid_filter";
    public const string UnsupportedFilter = "unsupported_filter";
    public const string UnsupportedOperation = "unsupported_operation";
    public const string IndexNotFound = "index_not_found";
    public const string RecordNotFound = "record_not_found";
    public const string BackupNotFound = "backup_not_found";
    public const string BackupDamaged = "backup_damaged";
    public const string IndexAlreadyExists = "index_already_exists";
    public const string EmbeddingContractViolation = "embedding_contract_violation";
    public const string CapacityExceeded = "capacity_exceeded";
    public const string QueryTooCostly = "query_too_costly";
    public const string StorageUnavailable = "storage_unavailable";
    public const string RateLimited = "rate_limited";
    public const string CircuitOpen = "circuit_open";
    public const string StorageBusy = "storage_busy";
    public const string Timeout = "timeout";
    public const string BackendError = "backend_error";
}
