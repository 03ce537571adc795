using Theodore.Core.Errors;

namespace Theodore.Core.Domain.Operations;

/// <summary>
/// When an index compacts on its own: once at least <see cref="MinDeleted"/> records are soft-deleted (or dead) and they
/// are at least <see cref="MinDeletedRatio"/> of the index. Off by default; <c>POST .../compact</c> always works.
/// </summary>
public sealed record CompactionPolicy
{
    private readonly long _minDeleted = 10_000;
    private readonly double _minDeletedRatio = 0.2;

    public bool Enabled { get; init; }

    public long MinDeleted
    {
        get => _minDeleted;
        init => _minDeleted = value >= 1 ? value : throw new InvalidRequestException("compaction.minDeleted", $"must be at least 1, got {value}");
    }

    public double MinDeletedRatio
    {
        get => _minDeletedRatio;
        init => _minDeletedRatio = value is > 0 and <= 1 ? value : throw new InvalidRequestException("compaction.minDeletedRatio", $"must be in (0, 1], got {value}");
    }

    public static CompactionPolicy Off { get; } = new();

    public bool IsDue(long deleted, long total) => Enabled && deleted >= MinDeleted && total > 0 && (double)deleted / total >= MinDeletedRatio;
}
