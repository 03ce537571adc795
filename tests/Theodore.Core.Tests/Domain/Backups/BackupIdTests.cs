using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain.Backups;

public sealed class BackupIdTests
{
    [Fact]
    public void New_id_names_its_utc_creation_time_to_the_millisecond()
    {
        var now = new DateTimeOffset(2026, 11, 21, 9, 53, 6, 123, TimeSpan.FromHours(2));

        var id = BackupId.New(now);

        Assert.StartsWith("20261121T075306123Z-", id.Value, StringComparison.Ordinal);
        Assert.Equal(now, id.CreatedAt);
        Assert.Equal(TimeSpan.Zero, id.CreatedAt.Offset);
        Assert.Equal(id, BackupId.Parse(id.Value));
    }

    [Fact]
    public void New_ids_at_the_same_instant_differ()
    {
        var now = DateTimeOffset.UnixEpoch;

        var ids = Enumerable.Range(0, 20).Select(_ => BackupId.New(now).Value).ToHashSet(StringComparer.Ordinal);

        Assert.True(ids.Count > 1);
    }

    [Fact]
    public void Ordering_is_creation_order()
    {
        var earlier = BackupId.Parse("20261121T075306123Z-ffffff");
        var later = BackupId.Parse("20261121T075306124Z-000000");

        Assert.True(earlier < later);
        Assert.True(later >= earlier);
        Assert.Equal([earlier, later], new[] { later, earlier }.Order());
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("20261121T075306123Z-3fa9c", "looks like")]
    [InlineData("20261121T075306123Z-3FA9C1", "looks like")]
    [InlineData("20261321T075306123Z-3fa9c1", "looks like")]
    [InlineData("20261121T075306123Z_3fa9c1", "looks like")]
    [InlineData("../../etc/passwd-aaaaaaaaaa", "looks like")]
    public void Parse_invalid_id_is_refused_with_the_reason(string? value, string reason)
    {
        var error = Assert.Throws<InvalidRequestException>(() => BackupId.Parse(value, "backup"));

        Assert.Equal("backup", error.Errors.Single().Path);
        Assert.Contains(reason, error.Errors.Single().Message, StringComparison.Ordinal);
    }
}
