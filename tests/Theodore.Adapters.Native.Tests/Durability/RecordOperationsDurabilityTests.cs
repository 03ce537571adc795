using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests.Durability;

public sealed class RecordOperationsDurabilityTests
{
    private static readonly IndexName Index = IndexName.Parse("durable-ops");
    private static readonly Namespace Other = Namespace.Parse("other");
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Reopen_after_record_operations_returns_the_same_state(bool checkpointBefore, bool checkpointAfter)
    {
        var directory = new TempDataDirectory();
        var clock = new ManualClock(Start);
        try
        {
            Dictionary<string, VectorRecord> before, otherBefore;
            IndexStats statsBefore;
            await using (var storage = await NativeVectorStorage.OpenAsync(directory.Options(), clock))
            {
                await storage.CreateIndexAsync(new IndexDefinition(Index, 8, DistanceMetric.Cosine));
                await storage.UpsertManyAsync(Index, [.. Enumerable.Range(0, 40).Select(i => Record($"r{i}", i, 8, Metadata.Create([new("n", i)])))]);
                await storage.UpsertManyAsync(Index, [.. Enumerable.Range(0, 5).Select(i => Record($"o{i}", i + 100, 8))], Other);
                if (checkpointBefore)
                {
                    Assert.True(await storage.CheckpointAsync() >= 1);
                }

                var ops = (IRecordOperationsStorage)storage.GetService(typeof(IRecordOperationsStorage))!;
                clock.Now = Start.AddMinutes(1);
                await ops.ApplyAsync(Index, [
                    RecordOperation.SoftDelete(VectorId.Parse("r1")),
                    RecordOperation.SoftDelete(VectorId.Parse("r2")),
                    RecordOperation.Restore(VectorId.Parse("r2")),
                    RecordOperation.UpdateMetadata(VectorId.Parse("r3"), Metadata.Create([new("tag", "x")]), MetadataUpdateMode.Merge),
                    RecordOperation.UpdateMetadata(VectorId.Parse("r4"), Metadata.Create([new("only", true)]), MetadataUpdateMode.Replace),
                    RecordOperation.SetExpiry(VectorId.Parse("r5"), Start.AddDays(1)),
                    RecordOperation.SetExpiry(VectorId.Parse("r6"), Start.AddSeconds(30)),
                    RecordOperation.Delete(VectorId.Parse("r7")),
                    RecordOperation.Upsert(Record("new", 77, 8) with { ExpiresAt = Start.AddDays(2) }),
                ], options: OperationBatchOptions.AllOrNothing);
                await ops.ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("o1"))], Other);
                await ops.ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("r8"))]);
                await storage.UpsertAsync(Index, Record("r8", 8, 8));
                await ops.ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("r9")), RecordOperation.SoftDelete(VectorId.Parse("r10"))]);
                var maintenance = (IIndexMaintenanceStorage)storage.GetService(typeof(IIndexMaintenanceStorage))!;
                clock.Now = Start.AddMinutes(2);
                Assert.Equal(1, await maintenance.SweepExpiredAsync(Index));
                await ops.ApplyAsync(Index, [RecordOperation.Restore(VectorId.Parse("r9"))]);
                var compaction = await maintenance.CompactAsync(Index);
                Assert.Equal(3, compaction.PurgedSoftDeleted);
                await ops.ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("r11"))]);
                if (checkpointAfter)
                {
                    Assert.True(await storage.CheckpointAsync() >= 1);
                }

                before = await ReadAllWithDeletedAsync(storage, default);
                otherBefore = await ReadAllWithDeletedAsync(storage, Other);
                statsBefore = await storage.GetStatsAsync(Index);
            }

            await using var reopened = await NativeVectorStorage.OpenAsync(directory.Options(), clock);
            var after = await ReadAllWithDeletedAsync(reopened, default);
            AssertSameState(before, after);
            AssertSameState(otherBefore, await ReadAllWithDeletedAsync(reopened, Other));
            Assert.False(after.ContainsKey("r1"));
            Assert.False(after.ContainsKey("r6"));
            Assert.Null(after["r9"].DeletedAt);
            Assert.Equal(Start.AddMinutes(2), after["r11"].DeletedAt);
            Assert.Equal("x", after["r3"].Metadata["tag"].AsString);
            Assert.Equal(Start.AddDays(2), after["new"].ExpiresAt);
            var stats = await reopened.GetStatsAsync(Index);
            Assert.Equal(statsBefore.TotalVectors, stats.TotalVectors);
            Assert.Equal(statsBefore.SoftDeletedVectors, stats.SoftDeletedVectors);
            Assert.Equal(statsBefore.Namespaces, stats.Namespaces);
            Assert.Empty((await reopened.CheckIntegrityAsync(Index)).Problems);

            clock.Now = Start.AddDays(3);
            Assert.Null(await reopened.GetAsync(Index, VectorId.Parse("new")));
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public void DecodeOperations_of_an_encoded_mixed_batch_returns_the_same_operations()
    {
        var at = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var metadata = Metadata.Create([new("k", "v")]);
        List<LoggedOperation> operations =
        [
            new(RecordOperationKind.Upsert, "a") { Record = new StoredRecord("a", new float[] { 1, 2 }, metadata) { ExpiresAt = at.AddDays(1) } },
            new(RecordOperationKind.Upsert, "b") { Record = new StoredRecord("b", new float[] { 3, 4 }, Metadata.Empty) },
            new(RecordOperationKind.Delete, "c"),
            new(RecordOperationKind.SoftDelete, "d"),
            new(RecordOperationKind.Restore, "e"),
            new(RecordOperationKind.UpdateMetadata, "f") { Metadata = metadata },
            new(RecordOperationKind.SetExpiry, "g") { ExpiresAt = at },
            new(RecordOperationKind.SetExpiry, "h"),
        ];

        Assert.Equal(JournalCodec.AtomicBatchType, JournalCodec.OperationsType(operations));
        var (decodedAt, ns, decoded) = JournalCodec.DecodeOperations(JournalCodec.AtomicBatchType, JournalCodec.EncodeOperations(JournalCodec.AtomicBatchType, at, Other, operations), "test");

        Assert.Equal(at, decodedAt);
        Assert.Equal(Other, ns);
        Assert.Equal(operations.Select(o => (o.Kind, o.Id)), decoded.Select(o => (o.Kind, o.Id)));
        Assert.Equal(at.AddDays(1), decoded[0].Record!.ExpiresAt);
        Assert.Null(decoded[1].Record!.ExpiresAt);
        Assert.Equal(metadata, decoded[0].Record!.Metadata);
        Assert.Equal(metadata, decoded[5].Metadata);
        Assert.Equal(at, decoded[6].ExpiresAt);
        Assert.Null(decoded[7].ExpiresAt);
    }

    [Fact]
    public void EncodeOperations_of_one_kind_uses_its_own_record_type_and_round_trips()
    {
        List<LoggedOperation> softDeletes = [new(RecordOperationKind.SoftDelete, "a"), new(RecordOperationKind.SoftDelete, "b")];

        var type = JournalCodec.OperationsType(softDeletes);
        var (_, _, decoded) = JournalCodec.DecodeOperations(type, JournalCodec.EncodeOperations(type, Start, default, softDeletes), "test");

        Assert.Equal(JournalCodec.SoftDeleteType, type);
        Assert.Equal(["a", "b"], decoded.Select(o => o.Id), StringComparer.Ordinal);
        Assert.All(decoded, o => Assert.Equal(RecordOperationKind.SoftDelete, o.Kind));
    }

    [Fact]
    public void DecodeOperations_of_damaged_payloads_throws_only_CorruptDataException()
    {
        List<LoggedOperation> operations =
        [
            new(RecordOperationKind.Upsert, "a") { Record = new StoredRecord("a", new float[] { 1, 2 }, Metadata.Create([new("k", 1)])) { ExpiresAt = Start } },
            new(RecordOperationKind.UpdateMetadata, "f") { Metadata = Metadata.Create([new("k", "v")]) },
            new(RecordOperationKind.SetExpiry, "g") { ExpiresAt = Start },
        ];
        var payload = JournalCodec.EncodeOperations(JournalCodec.AtomicBatchType, Start, default, operations);
        var random = new Random(3);
        for (var i = 0; i < 2_000; i++)
        {
            var damaged = payload.ToArray();
            damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            var cut = random.Next(4) == 0 ? damaged.AsSpan(0, random.Next(damaged.Length)).ToArray() : damaged;
            try
            {
                JournalCodec.DecodeOperations(JournalCodec.AtomicBatchType, cut, "test");
            }
            catch (Engine.Durability.CorruptDataException)
            {
                // expected for most mutations
            }
        }
    }

    private static async Task<Dictionary<string, VectorRecord>> ReadAllWithDeletedAsync(NativeVectorStorage storage, Namespace ns)
    {
        var records = new Dictionary<string, VectorRecord>(StringComparer.Ordinal);
        await foreach (var record in storage.ScanAsync(Index, new ListRequest { Namespace = ns, IncludeDeleted = true, IncludeValues = true }))
        {
            records.Add(record.Id.Value, record);
        }

        return records;
    }

    private static void AssertSameState(Dictionary<string, VectorRecord> expected, Dictionary<string, VectorRecord> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (id, record) in expected)
        {
            var other = actual[id];
            Assert.True(SameBytes(record.Values, other.Values), $"the vector of {id} changed");
            Assert.Equal(record.Metadata, other.Metadata);
            Assert.Equal(record.ExpiresAt, other.ExpiresAt);
            Assert.Equal(record.DeletedAt, other.DeletedAt);
        }
    }
}
