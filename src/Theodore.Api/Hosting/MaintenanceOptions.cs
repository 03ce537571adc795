using System.ComponentModel.DataAnnotations;
using Theodore.Core.Domain.Operations;

namespace Theodore.Api.Hosting;

/// <summary>
/// The <c>Maintenance</c> section: the background expiry sweep (on, every minute, where the backend has TTL) and
/// compaction by policy (off by default; <c>POST .../compact</c> always works).
/// </summary>
public sealed class MaintenanceOptions
{
    public const string SectionName = "Maintenance";

    /// <summary>Deletes expired records durably on every pass; they are invisible from their expiry on either way.</summary>
    public bool SweepEnabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public CompactionOptions Compaction { get; set; } = new();

    /// <summary>The policy as Core's value; the bounds are Core's (<see cref="CompactionPolicy"/>).</summary>
    public CompactionPolicy CompactionPolicy() => new()
    {
        Enabled = Compaction.Enabled,
        MinDeleted = Compaction.MinDeleted,
        MinDeletedRatio = Compaction.MinDeletedRatio,
    };
}

/// <summary>
/// <c>Maintenance:Compaction</c>: an index is compacted once at least <see cref="MinDeleted"/> of its records are
/// soft-deleted or expired and they are at least <see cref="MinDeletedRatio"/> of all it stores; checked every
/// <see cref="CheckInterval"/>.
/// </summary>
public sealed class CompactionOptions
{
    public bool Enabled { get; set; }

    [Range(1L, long.MaxValue)]
    public long MinDeleted { get; set; } = Core.Domain.Operations.CompactionPolicy.Off.MinDeleted;

    [Range(1e-9, 1.0)]
    public double MinDeletedRatio { get; set; } = Core.Domain.Operations.CompactionPolicy.Off.MinDeletedRatio;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(5);
}
