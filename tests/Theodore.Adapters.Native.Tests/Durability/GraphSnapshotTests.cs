using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Engine.Durability;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests.Durability;

public sealed class GraphSnapshotTests
{
    private const int Dimension = 24;
    private static readonly IndexName Index = IndexName.Parse("graphs");
    private static readonly Namespace Other = Namespace.Parse("other");

    [Fact]
    public async Task Reopen_from_a_snapshot_loads_each_namespace_graph_and_applies_the_log_tail()
    {
        var directory = new TempDataDirectory();
        try
        {
            Dictionary<string, VectorRecord> mainBefore, otherBefore;
            IndexStats statsBefore;
            await using (var storage = await directory.OpenAsync())
            {
                await CreateAndFillAsync(storage);
                Assert.Equal(1, await storage.CheckpointAsync());

                // The tail after the snapshot: new records, an overwrite, deletes, and a namespace the snapshot lacks.
                await storage.UpsertManyAsync(Index, Enumerable.Range(0, 15).Select(i => Record($"t{i}", 5000 + i, Dimension)).ToList());
                await storage.UpsertAsync(Index, Record("m3", 9999, Dimension, Tagged("late")));
                await storage.DeleteManyAsync(Index, [VectorId.Parse("m4"), VectorId.Parse("m5"), VectorId.Parse("t0")]);
                await storage.UpsertManyAsync(Index, Enumerable.Range(0, 5).Select(i => Record($"n{i}", 7000 + i, Dimension)).ToList(), Namespace.Parse("new"));
                mainBefore = await ReadAllAsync(storage, Index);
                otherBefore = await ReadAllAsync(storage, Index, Other);
                statsBefore = await storage.GetStatsAsync(Index);
            }

            // The log's net change is applied once: t0 was written and deleted in the tail, so it is never inserted.
            await using var reopened = await directory.OpenAsync();
            Assert.Equal(new IndexLoadReport(GraphsLoaded: 2, GraphsBuilt: 1, RecordsInserted: 14 + 1 + 5), reopened.LoadReportOf(Index));
            AssertSameRecords(mainBefore, await ReadAllAsync(reopened, Index));
            AssertSameRecords(otherBefore, await ReadAllAsync(reopened, Index, Other));
            var stats = await reopened.GetStatsAsync(Index);
            Assert.Equal(statsBefore.Namespaces, stats.Namespaces);
            Assert.Equal(statsBefore.MetadataFields, stats.MetadataFields);
            Assert.Equal(statsBefore.UpdatedAt, stats.UpdatedAt);
            var exact = await reopened.SearchAsync(Index, Vector(5003, Dimension), new SearchOptions { TopK = 1, Exact = true });
            Assert.Equal("t3", exact.Matches[0].Id.Value);
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Search_after_a_reopen_from_a_snapshot_returns_the_same_matches_as_before()
    {
        var directory = new TempDataDirectory();
        try
        {
            var queries = Enumerable.Range(0, 40).Select(i => Vector(100_000 + i, Dimension)).ToList();
            var filtered = new SearchOptions { TopK = 10, Filter = Filter.Eq("tags", "even"), IncludeValues = true, IncludeMetadata = true };
            var plain = new SearchOptions { TopK = 10, Ef = 16 };
            List<SearchResult> before;
            await using (var storage = await directory.OpenAsync())
            {
                await CreateAndFillAsync(storage);
                Assert.Equal(1, await storage.CheckpointAsync());
                before = await SearchAllAsync(storage, queries, plain, filtered);
            }

            await using var reopened = await directory.OpenAsync();
            Assert.Equal(new IndexLoadReport(GraphsLoaded: 2, GraphsBuilt: 0, RecordsInserted: 0), reopened.LoadReportOf(Index));
            var after = await SearchAllAsync(reopened, queries, plain, filtered);
            Assert.Equal(before.Count, after.Count);
            for (var q = 0; q < before.Count; q++)
            {
                Assert.Equal(before[q].Matches.Select(static m => (m.Id.Value, m.Score)), after[q].Matches.Select(static m => (m.Id.Value, m.Score)));
                for (var m = 0; m < before[q].Matches.Count; m++)
                {
                    if (before[q].Matches[m].Values is { } values)
                    {
                        Assert.True(SameBytes(values, after[q].Matches[m].Values!.Value), $"query {q}: the vector of {before[q].Matches[m].Id.Value} changed");
                    }
                }
            }
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Reopen_from_a_records_only_snapshot_rebuilds_the_graphs_and_the_next_snapshot_stores_them()
    {
        var directory = new TempDataDirectory();
        try
        {
            Dictionary<string, VectorRecord> mainBefore, otherBefore;
            await using (var storage = await directory.OpenAsync())
            {
                await CreateAndFillAsync(storage);
                mainBefore = await ReadAllAsync(storage, Index);
                otherBefore = await ReadAllAsync(storage, Index, Other);
            }

            await WriteRecordsOnlySnapshotAsync(directory);

            await using (var migrated = await directory.OpenAsync())
            {
                Assert.Equal(new IndexLoadReport(GraphsLoaded: 0, GraphsBuilt: 2, RecordsInserted: mainBefore.Count + otherBefore.Count), migrated.LoadReportOf(Index));
                AssertSameRecords(mainBefore, await ReadAllAsync(migrated, Index));
                AssertSameRecords(otherBefore, await ReadAllAsync(migrated, Index, Other));
                await migrated.UpsertAsync(Index, Record("after", 1, Dimension));
                mainBefore = await ReadAllAsync(migrated, Index);
                Assert.Equal(1, await migrated.CheckpointAsync());
            }

            await using var reopened = await directory.OpenAsync();
            Assert.Equal(new IndexLoadReport(GraphsLoaded: 2, GraphsBuilt: 0, RecordsInserted: 0), reopened.LoadReportOf(Index));
            AssertSameRecords(mainBefore, await ReadAllAsync(reopened, Index));
            AssertSameRecords(otherBefore, await ReadAllAsync(reopened, Index, Other));
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Reopen_with_changed_engine_options_rebuilds_the_stored_graphs()
    {
        var directory = new TempDataDirectory();
        try
        {
            Dictionary<string, VectorRecord> before;
            await using (var storage = await directory.OpenAsync())
            {
                await CreateAndFillAsync(storage);
                Assert.Equal(1, await storage.CheckpointAsync());
                before = await ReadAllAsync(storage, Index);
            }

            var options = directory.Options();
            options.DefaultEf = options.DefaultEf + 7;
            await using var reopened = await NativeVectorStorage.OpenAsync(options);
            Assert.Equal(0, reopened.LoadReportOf(Index)!.GraphsLoaded);
            Assert.Equal(2, reopened.LoadReportOf(Index)!.GraphsBuilt);
            AssertSameRecords(before, await ReadAllAsync(reopened, Index));
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Checkpoints_racing_writers_and_searches_keep_every_acknowledged_record_across_a_reopen()
    {
        var directory = new TempDataDirectory();
        try
        {
            Dictionary<string, VectorRecord> before;
            await using (var storage = await directory.OpenAsync())
            {
                await CreateAndFillAsync(storage);
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
                {
                    for (var batch = 0; batch < 25; batch++)
                    {
                        await storage.UpsertManyAsync(Index, Enumerable.Range(0, 8).Select(i => Record($"w{w}-{batch}-{i}", (w * 10_000) + (batch * 10) + i, Dimension)).ToList());
                        await storage.DeleteAsync(Index, VectorId.Parse($"m{(w * 100) + batch + 2}"));
                    }
                })).ToList();
                var searcher = Task.Run(async () =>
                {
                    var searches = 0;
                    while (!stop.IsCancellationRequested)
                    {
                        // The index never holds fewer than 5 live records, so every search racing the writers and the
                        // checkpoints returns all 5 (TICKET-004).
                        Assert.Equal(5, (await storage.SearchAsync(Index, Vector(searches++, Dimension), new SearchOptions { TopK = 5 })).Matches.Count);
                    }

                    return searches;
                });
                var checkpoints = 0;
                while (!writers.TrueForAll(static t => t.IsCompleted))
                {
                    checkpoints += await storage.CheckpointAsync();
                }

                await Task.WhenAll(writers);
                await stop.CancelAsync();
                Assert.True(await searcher > 0);
                Assert.True(checkpoints > 0, "no checkpoint ran while the writers did");
                before = await ReadAllAsync(storage, Index);
            }

            await using var reopened = await directory.OpenAsync();
            Assert.Equal(2, reopened.LoadReportOf(Index)!.GraphsLoaded);
            AssertSameRecords(before, await ReadAllAsync(reopened, Index));
            for (var q = 0; q < 100; q++)
            {
                Assert.Equal(5, (await reopened.SearchAsync(Index, Vector(50_000 + q, Dimension), new SearchOptions { TopK = 5 })).Matches.Count);
            }
        }
        finally
        {
            directory.Delete();
        }
    }

    private static Metadata Tagged(string tag) => Metadata.Create([new("tags", MetadataValue.FromStrings([tag, "x"])), new("name", tag)]);

    private static async Task CreateAndFillAsync(NativeVectorStorage storage)
    {
        await storage.CreateIndexAsync(new IndexDefinition(Index, Dimension, DistanceMetric.Cosine, hnsw: new HnswOptions(8, 48)));
        await storage.UpsertManyAsync(Index, Enumerable.Range(0, 400).Select(i => Record($"m{i}", i, Dimension, Tagged(i % 2 == 0 ? "even" : "odd"))).ToList());
        await storage.UpsertManyAsync(Index, Enumerable.Range(0, 120).Select(i => Record($"o{i}", 1000 + i, Dimension)).ToList(), Other);
        await storage.DeleteAsync(Index, VectorId.Parse("m1"));
    }

    private static async Task<List<SearchResult>> SearchAllAsync(NativeVectorStorage storage, List<float[]> queries, params SearchOptions[] options)
    {
        var results = new List<SearchResult>();
        foreach (var query in queries)
        {
            foreach (var option in options)
            {
                results.Add(await storage.SearchAsync(Index, query, option));
                results.Add(await storage.SearchAsync(Index, query, option with { Namespace = Other, Filter = null }));
            }
        }

        return results;
    }

    // The format before graph sections: payload version 1 and the records in "records-NNNNNN" sections.
    private static async Task WriteRecordsOnlySnapshotAsync(TempDataDirectory directory)
    {
        var options = directory.Options();
        var path = Path.Combine(directory.Path, "indexes", Index.Value);
        var journal = IndexJournal.Open(PhysicalDurableFileSystem.Instance, path, options, out var recovery);
        await using (journal)
        {
            var header = JournalCodec.EncodeSnapshotHeader(recovery.Definition!, recovery.CreatedAt, recovery.UpdatedAt, JournalCodec.RecordsOnlyPayloadVersion);
            var written = await journal.WriteSnapshotAsync(header, writer =>
            {
                var number = 0;
                foreach (var (ns, recovered) in recovery.Namespaces)
                {
                    var records = recovered.Changes.Values.Select(static r => r!).ToList();
                    writer.WriteSection(IndexRecovery.SectionName(number++), JournalCodec.EncodeSection(ns, records[..(records.Count / 2)]));
                    writer.WriteSection(IndexRecovery.SectionName(number++), JournalCodec.EncodeSection(ns, records[(records.Count / 2)..]));
                }
            }, CancellationToken.None);
            Assert.True(written);
        }
    }
}
