using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>
/// Record expiry (<see cref="StorageCapabilities.Ttl"/>): an expired record counts as missing everywhere (get, fetch,
/// fetch with deleted ones, list, search, search by id, counts) from the moment its expiry passes, on the storage's
/// clock. Without the capability every test here proves the refusal instead (nothing applied).
/// </summary>
public abstract class ExpiryConformance : ConformanceSuite
{
    [Fact]
    public async Task A_record_upserted_with_a_past_expiry_is_accepted_and_invisible_everywhere()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [2, 0]));
        var expired = Record("gone", [1.5f, 0], Meta(("k", "v"))) with { ExpiresAt = Now.AddMinutes(-1) };
        if (!await RefusedWithoutTtlAsync(index, expired))
        {
            return;
        }

        await UpsertAsync(index, expired);

        await AssertInvisibleAsync(index, "gone", ["a", "b"]);
        Assert.Equal(1, (await Storage.GetStatsAsync(index)).ExpiredVectors);
    }

    [Fact]
    public async Task A_record_is_visible_with_its_expiry_until_the_clock_passes_it()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [2, 0]));
        var lifetime = TimeSpan.FromSeconds(2);
        var expiresAt = Now + lifetime;
        var expiring = Record("soon", [1.5f, 0]) with { ExpiresAt = expiresAt };
        if (!await RefusedWithoutTtlAsync(index, expiring))
        {
            return;
        }

        await UpsertAsync(index, expiring);

        var read = await Storage.GetAsync(index, Id("soon"));
        Assert.NotNull(read);
        Assert.NotNull(read.ExpiresAt);
        Assert.True((read.ExpiresAt.Value - expiresAt).Duration() <= TimeSpan.FromMilliseconds(1), $"expiresAt {expiresAt:O} came back as {read.ExpiresAt:O}");
        Assert.Equal(["a", "soon", "b"], IdsOf(await SearchAsync(index, [1, 0], new SearchOptions { TopK = 10 })));
        Assert.Equal(3, (await Storage.GetStatsAsync(index)).TotalVectors);

        if (!TryAdvanceClock(lifetime))
        {
            await Task.Delay(lifetime + TimeSpan.FromMilliseconds(200));
        }

        await AssertInvisibleAsync(index, "soon", ["a", "b"]);
    }

    [Fact]
    public async Task SetExpiry_sets_and_clears_an_expiry_and_an_expired_record_counts_as_missing()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0], Meta(("k", "a"))), Record("b", [2, 0]), Record("c", [3, 0]) with { ExpiresAt = Capabilities.Ttl ? Now.AddDays(1) : null });
        var ops = PortOrAssertUnsupported<IRecordOperationsStorage>();
        if (!Capabilities.Ttl)
        {
            if (ops is not null)
            {
                await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, [RecordOperation.Delete(Id("b")), RecordOperation.SetExpiry(Id("a"), null)]));
                await SettleAsync(index);
                Assert.NotNull(await Storage.GetAsync(index, Id("b")));
            }

            return;
        }

        Assert.NotNull(ops);
        var result = await ops.ApplyAsync(
            index,
            [
                RecordOperation.SetExpiry(Id("c"), null),
                RecordOperation.SetExpiry(Id("a"), Now.AddSeconds(-1)),
                RecordOperation.SetExpiry(Id("missing"), Now.AddDays(1)),
                RecordOperation.UpdateMetadata(Id("a"), Meta(("k", "late")), MetadataUpdateMode.Merge),
                RecordOperation.SetExpiry(Id("a"), null),
                RecordOperation.Delete(Id("a")),
            ]);
        await SettleAsync(index);

        Assert.Equal([true, true, false, false, false, false], result.Results.Select(r => r.Applied));
        Assert.Equal([null, null, ErrorCodes.RecordNotFound, ErrorCodes.RecordNotFound, ErrorCodes.RecordNotFound, null], result.Results.Select(r => r.ErrorCode), StringComparer.Ordinal);
        Assert.Null((await Storage.GetAsync(index, Id("c")))?.ExpiresAt);
        Assert.NotNull(await Storage.GetAsync(index, Id("c")));
        await AssertInvisibleAsync(index, "a", ["b", "c"]);

        // an upsert over an expired record makes a fresh, live one
        await UpsertAsync(index, Record("a", [1, 0], Meta(("k", "again"))));
        Assert.Equal(Meta(("k", "again")), (await Storage.GetAsync(index, Id("a")))?.Metadata);
        Assert.Null((await Storage.GetAsync(index, Id("a")))?.ExpiresAt);
    }

    [Fact]
    public async Task An_upsert_in_a_batch_carries_its_expiry()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]));
        var ops = PortOrAssertUnsupported<IRecordOperationsStorage>();
        if (ops is null || !Capabilities.Ttl)
        {
            return; // the refusals: RecordOperationsConformance.Expiry_without_the_capability_is_refused_with_nothing_applied
        }

        var result = await ops.ApplyAsync(
            index,
            [RecordOperation.Upsert(Record("past", [2, 0]) with { ExpiresAt = Now.AddSeconds(-5) }), RecordOperation.Upsert(Record("later", [3, 0]) with { ExpiresAt = Now.AddDays(1) })]);
        await SettleAsync(index);

        Assert.All(result.Results, r => Assert.True(r.Applied));
        Assert.Null(await Storage.GetAsync(index, Id("past")));
        Assert.NotNull((await Storage.GetAsync(index, Id("later")))?.ExpiresAt);
        Assert.Equal(2, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    /// <summary>
    /// Without TTL: proves that a mixed batch upserting <paramref name="expiring"/> is refused with nothing written, and
    /// answers false; with TTL answers true.
    /// </summary>
    private async Task<bool> RefusedWithoutTtlAsync(IndexName index, VectorRecord expiring)
    {
        if (Capabilities.Ttl)
        {
            return true;
        }

        // plain upserts carrying an expiry: RecordOperationsConformance.Expiry_without_the_capability_is_refused_with_nothing_applied
        if (Storage.GetService<IRecordOperationsStorage>() is { } ops)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, [RecordOperation.Upsert(Record("ok", [9, 0])), RecordOperation.Upsert(expiring)]));
        }

        await SettleAsync(index);
        Assert.Null(await Storage.GetAsync(index, expiring.Id));
        Assert.Null(await Storage.GetAsync(index, Id("ok")));
        Assert.Null((await Storage.GetStatsAsync(index)).ExpiredVectors);
        return false;
    }

    private async Task AssertInvisibleAsync(IndexName index, string id, string[] visible)
    {
        Assert.Null(await Storage.GetAsync(index, Id(id)));
        if (Storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            Assert.Empty(await batch.GetManyAsync(index, [Id(id)]));
        }

        if (Storage.GetService<IRecordOperationsStorage>() is { } ops)
        {
            Assert.Empty(await ops.GetManyAsync(index, [Id(id)], includeDeleted: Capabilities.SoftDelete));
        }

        AssertListed(visible, IdsOf((await ListPageAsync(index, new ListRequest { IncludeDeleted = Capabilities.SoftDelete })).Records));
        Assert.DoesNotContain(id, IdsOf(await SearchAsync(index, [1, 0], new SearchOptions { TopK = 10 })), StringComparer.Ordinal);
        Assert.DoesNotContain(id, IdsOf(await Storage.SearchByIdAsync(index, Id(visible[0]), new SearchOptions { TopK = 10 })), StringComparer.Ordinal);
        await Assert.ThrowsAsync<RecordNotFoundException>(async () => await Storage.SearchByIdAsync(index, Id(id), new SearchOptions { TopK = 10 }));
        Assert.Equal(visible.Length, (await Storage.DescribeIndexAsync(index)).VectorCount);
        Assert.Equal(visible.Length, (await Storage.GetStatsAsync(index)).TotalVectors);
    }
}
