using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain.Backups;

public sealed class BackupRetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static BackupId At(string utc) =>
        BackupId.Parse(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-000000");

    [Fact]
    public void Apply_daily_keeps_the_newest_backup_of_each_of_the_last_days_with_backups()
    {
        var backups = new[] { At("2026-03-01T01:00"), At("2026-03-01T23:00"), At("2026-03-03T05:00"), At("2026-03-04T05:00"), At("2026-03-04T06:00") };

        var result = new BackupRetention(daily: 3, weekly: 0, monthly: 0).Apply(backups);

        Assert.Equal([At("2026-03-04T06:00"), At("2026-03-03T05:00"), At("2026-03-01T23:00")], result.Kept);
        Assert.Equal([At("2026-03-04T05:00"), At("2026-03-01T01:00")], result.Deleted);
    }

    [Fact]
    public void Apply_weekly_uses_iso_weeks_that_start_on_monday()
    {
        // 2026-03-01 is a Sunday (ISO week 9), 2026-03-02 the Monday of week 10.
        var backups = new[] { At("2026-02-28T12:00"), At("2026-03-01T12:00"), At("2026-03-02T12:00"), At("2026-03-03T12:00") };

        var result = new BackupRetention(daily: 0, weekly: 2, monthly: 0).Apply(backups);

        Assert.Equal([At("2026-03-03T12:00"), At("2026-03-01T12:00")], result.Kept);
    }

    [Fact]
    public void Apply_monthly_keeps_the_newest_of_each_month_and_skips_months_without_backups()
    {
        var backups = new[] { At("2025-11-30T00:00"), At("2026-01-10T00:00"), At("2026-01-31T00:00"), At("2026-03-01T00:00") };

        var result = new BackupRetention(daily: 0, weekly: 0, monthly: 2).Apply(backups);

        Assert.Equal([At("2026-03-01T00:00"), At("2026-01-31T00:00")], result.Kept);
        Assert.Equal([At("2026-01-10T00:00"), At("2025-11-30T00:00")], result.Deleted);
    }

    [Fact]
    public void Apply_rules_overlap_and_a_backup_kept_twice_counts_once()
    {
        var backups = new[] { At("2026-03-04T06:00"), At("2026-02-10T06:00") };

        var result = new BackupRetention(daily: 1, weekly: 1, monthly: 2).Apply(backups);

        Assert.Equal([At("2026-03-04T06:00"), At("2026-02-10T06:00")], result.Kept);
        Assert.Empty(result.Deleted);
    }

    [Fact]
    public void Apply_nothing_to_prune_keeps_nothing_and_deletes_nothing()
    {
        var result = new BackupRetention(1, 1, 1).Apply([]);

        Assert.Empty(result.Kept);
        Assert.Empty(result.Deleted);
    }

    [Theory]
    [InlineData(0, 0, 0, "")]
    [InlineData(-1, 1, 1, "daily")]
    [InlineData(1, -1, 1, "weekly")]
    [InlineData(1, 1, 10_001, "monthly")]
    public void Constructor_invalid_counts_are_refused_naming_the_field(int daily, int weekly, int monthly, string path)
    {
        var error = Assert.Throws<InvalidRequestException>(() => new BackupRetention(daily, weekly, monthly));

        Assert.Equal(path, error.Errors.Single().Path);
    }

    [Fact]
    public void Apply_properties_hold_for_any_history_and_policy()
    {
        // Backups spread over about 400 days, up to a few a day, and any policy that keeps something.
        var history = Gen.ListOf(Gen.Choose(0, 400 * 24 * 60)).Select(minutes => minutes
            .Select((m, i) => BackupId.Parse(Start.AddMinutes(m).ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + (i % 0xffffff).ToString("x6", CultureInfo.InvariantCulture)))
            .ToList());
        var policy = Gen.Zip(Gen.Zip(Gen.Choose(0, 10), Gen.Choose(0, 6)), Gen.Choose(0, 14))
            .Where(p => p.Item1.Item1 + p.Item1.Item2 + p.Item2 > 0)
            .Select(p => new BackupRetention(p.Item1.Item1, p.Item1.Item2, p.Item2));

        PropertyCheck.ForAll(Gen.Zip(history, policy).ToArbitrary(), t =>
        {
            var (backups, retention) = t;
            var result = retention.Apply(backups);
            var again = retention.Apply(result.Kept);
            var distinct = backups.Distinct().ToList();
            var days = distinct.Select(b => b.CreatedAt.UtcDateTime.Date).Distinct().Count();

            var newestKept = distinct.Count == 0 || result.Kept[0] == distinct.Max();
            var partition = result.Kept.Concat(result.Deleted).Order().SequenceEqual(distinct.Order()) && !result.Kept.Intersect(result.Deleted).Any();
            var idempotent = again.Kept.SequenceEqual(result.Kept) && again.Deleted.Count == 0;
            var bounded = result.Kept.Count <= retention.Daily + retention.Weekly + retention.Monthly;
            var enoughDays = result.Kept.Select(b => b.CreatedAt.UtcDateTime.Date).Distinct().Count() >= Math.Min(days, retention.Daily);
            return newestKept && partition && idempotent && bounded && enoughDays;
        }, maxTest: 300);
    }
}
