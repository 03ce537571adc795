namespace Theodore.Infrastructure.Decorators;

/// <summary>
/// The operation names every decorator uses (the span's <c>db.operation.name</c>, the resilience context's key) and
/// which of them may be retried.
/// </summary>
/// <remarks>
/// Idempotent: every read, and the writes keyed by id or filter whose second run leaves the same state as the first
/// (upsert replaces the record with the same id; deleting a deleted record or a filter's already deleted matches
/// changes nothing). A retried delete may report a record as missing that the first, timed-out attempt removed.
/// Not idempotent: creating or deleting an index (the second attempt fails with already-exists or not-found after a
/// first that succeeded unseen), the backup operations (a second backup, a second restore), a mixed batch (its
/// second run would report what the first applied unseen as not applied: a soft delete of a soft-deleted record, a
/// restore of a live one) and starting a rebuild (a second rebuild after a first that finished unseen).
/// </remarks>
public static class StorageOperations
{
    public const string CreateIndex = "create_index";
    public const string DescribeIndex = "describe_index";
    public const string ListIndexes = "list_indexes";
    public const string DeleteIndex = "delete_index";
    public const string Upsert = "upsert";
    public const string Get = "get";
    public const string Delete = "delete";
    public const string Search = "search";
    public const string SearchById = "search_by_id";
    public const string GetStats = "get_stats";
    public const string CheckHealth = "check_health";
    public const string UpsertMany = "upsert_many";
    public const string GetMany = "get_many";
    public const string DeleteMany = "delete_many";
    public const string DeleteByFilter = "delete_by_filter";
    public const string DeleteAll = "delete_all";
    public const string List = "list";
    public const string Scan = "scan";
    public const string CreateBackup = "create_backup";
    public const string RestoreBackup = "restore_backup";
    public const string ApplyOperations = "apply_operations";
    public const string GetManyWithDeleted = "get_many_with_deleted";
    public const string Compact = "compact";
    public const string SweepExpired = "sweep_expired";
    public const string StartRebuild = "start_rebuild";
    public const string GetRebuildStatus = "get_rebuild_status";

    private static readonly HashSet<string> NotIdempotent = new(StringComparer.Ordinal) { CreateIndex, DeleteIndex, CreateBackup, RestoreBackup, ApplyOperations, StartRebuild };

    /// <summary>
    /// Operations that run as long as the index is large (a compaction rewrites it, a sweep deletes every expired record):
    /// the resilience layer runs them once and without its timeouts, as it leaves backups alone.
    /// </summary>
    private static readonly HashSet<string> LongRunning = new(StringComparer.Ordinal) { Compact, SweepExpired };

    /// <summary>True when running the operation twice leaves the backend as running it once (see remarks).</summary>
    public static bool IsIdempotent(string operation) => !NotIdempotent.Contains(operation);

    /// <summary>True for the maintenance operations that neither time out nor retry (see <see cref="LongRunning"/>).</summary>
    public static bool IsLongRunning(string operation) => LongRunning.Contains(operation);
}
