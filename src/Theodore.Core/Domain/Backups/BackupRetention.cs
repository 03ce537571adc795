using System.Globalization;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain.Backups;

/// <summary>
/// A grandfather-father-son retention policy: keep the newest backup of each of the last <see cref="Daily"/> days,
/// <see cref="Weekly"/> ISO weeks and <see cref="Monthly"/> months that have backups (UTC), and nothing else. A backup
/// kept by more than one rule counts once. The newest backup is always kept.
/// </summary>
public sealed record BackupRetention
{
    public const int MaxCount = 10_000;

    public BackupRetention(int daily, int weekly, int monthly)
    {
        var errors = new List<RequestError>();
        Check(daily, "daily", errors);
        Check(weekly, "weekly", errors);
        Check(monthly, "monthly", errors);
        if (errors.Count == 0 && daily + weekly + monthly == 0)
        {
            errors.Add(new RequestError(string.Empty, ErrorCodes.InvalidRequest, "a retention policy keeps at least one daily, weekly or monthly backup"));
        }

        if (errors.Count > 0)
        {
            throw new InvalidRequestException(errors);
        }

        Daily = daily;
        Weekly = weekly;
        Monthly = monthly;
    }

    public int Daily { get; }

    public int Weekly { get; }

    public int Monthly { get; }

    /// <summary>Splits <paramref name="backups"/> into those the policy keeps and those it deletes, each newest first.</summary>
    public BackupPruneResult Apply(IEnumerable<BackupId> backups)
    {
        ArgumentNullException.ThrowIfNull(backups);
        var newestFirst = backups.Distinct().OrderDescending().ToList();
        var kept = new HashSet<BackupId>();
        KeepNewestPerPeriod(newestFirst, Daily, static t => t.Date, kept);
        KeepNewestPerPeriod(newestFirst, Weekly, static t => (ISOWeek.GetYear(t), ISOWeek.GetWeekOfYear(t)), kept);
        KeepNewestPerPeriod(newestFirst, Monthly, static t => (t.Year, t.Month), kept);
        return new BackupPruneResult(
            [.. newestFirst.Where(kept.Contains)],
            [.. newestFirst.Where(id => !kept.Contains(id))]);
    }

    private static void KeepNewestPerPeriod<TPeriod>(List<BackupId> newestFirst, int periods, Func<DateTime, TPeriod> periodOf, HashSet<BackupId> kept)
    {
        var seen = new HashSet<TPeriod>();
        foreach (var id in newestFirst)
        {
            var period = periodOf(id.CreatedAt.UtcDateTime);
            if (seen.Contains(period))
            {
                continue;
            }

            if (seen.Count == periods)
            {
                return;
            }

            seen.Add(period);
            kept.Add(id);
        }
    }

    private static void Check(int count, string path, List<RequestError> errors)
    {
        if (count is < 0 or > MaxCount)
        {
            errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, $"must be between 0 and {MaxCount}, got {count}"));
        }
    }
}
