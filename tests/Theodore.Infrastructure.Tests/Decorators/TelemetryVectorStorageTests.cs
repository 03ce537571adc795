using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Telemetry;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class TelemetryVectorStorageTests
{
    [Fact]
    public async Task Search_records_a_client_span_with_the_database_conventions_top_k_and_result_count()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(StorageInstrumentation.Name).AddInMemoryExporter(spans).Build();
        using var instrumentation = new StorageInstrumentation();
        var mock = await TestStorage.MockWithIndexAsync("traced-search");
        await mock.UpsertAsync(IndexName.Parse("traced-search"), TestStorage.Record("a", 1, 0, 0, 0), Namespace.Parse("tenant-1"));
        var storage = new TelemetryVectorStorage(mock, instrumentation);

        await storage.SearchAsync(IndexName.Parse("traced-search"), new float[] { 1, 0, 0, 0 }, new SearchOptions { TopK = 7, Namespace = Namespace.Parse("tenant-1") });
        tracing.ForceFlush();

        var span = Assert.Single(spans, s => Equals(s.GetTagItem("db.collection.name"), "traced-search"));
        Assert.Equal("search traced-search", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("mock", span.GetTagItem("db.system.name"));
        Assert.Equal("search", span.GetTagItem("db.operation.name"));
        Assert.Equal("tenant-1", span.GetTagItem("db.namespace"));
        Assert.Equal(7, span.GetTagItem("db.vector.query.top_k"));
        Assert.Equal(1L, span.GetTagItem("db.response.returned_rows"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Failed_operation_records_an_error_span_and_counts_the_error_by_type()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(StorageInstrumentation.Name).AddInMemoryExporter(spans).Build();
        using var instrumentation = new StorageInstrumentation();
        using var metrics = new Recorder(instrumentation.Meter);
        var storage = new TelemetryVectorStorage(new MockVectorStorage(), instrumentation);

        await Assert.ThrowsAsync<IndexNotFoundException>(async () => await storage.GetAsync(IndexName.Parse("traced-missing"), VectorId.Parse("x")));
        tracing.ForceFlush();

        var span = Assert.Single(spans, s => Equals(s.GetTagItem("db.collection.name"), "traced-missing"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(ErrorCodes.IndexNotFound, span.GetTagItem("error.type"));
        Assert.Contains(span.Events, e => e.Name == "exception");
        var error = Assert.Single(metrics.Longs("theodore.storage.errors"));
        Assert.Equal(ErrorCodes.IndexNotFound, error.Tags["error.type"]);
        Assert.Equal("get", error.Tags["db.operation.name"]);
        var duration = Assert.Single(metrics.Doubles("db.client.operation.duration"));
        Assert.Equal(ErrorCodes.IndexNotFound, duration.Tags["error.type"]);
    }

    [Fact]
    public async Task Operations_record_duration_count_and_returned_rows_per_operation_and_index()
    {
        using var instrumentation = new StorageInstrumentation();
        using var metrics = new Recorder(instrumentation.Meter);
        var mock = await TestStorage.MockWithIndexAsync("metered");
        var storage = new TelemetryVectorStorage(mock, instrumentation);
        var index = IndexName.Parse("metered");

        await storage.UpsertAsync(index, TestStorage.Record("a", 1, 0, 0, 0));
        await storage.UpsertAsync(index, TestStorage.Record("b", 0, 1, 0, 0));
        await storage.SearchAsync(index, new float[] { 1, 1, 0, 0 }, new SearchOptions { TopK = 5 });

        var durations = metrics.Doubles("db.client.operation.duration");
        Assert.Equal(3, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value >= 0));
        Assert.Equal(2, durations.Count(d => Equals(d.Tags["db.operation.name"], "upsert")));
        Assert.All(durations, d => Assert.Equal("metered", d.Tags["db.collection.name"]));
        Assert.Equal(3, metrics.Longs("theodore.storage.operations").Sum(m => m.Value));
        Assert.Empty(metrics.Longs("theodore.storage.errors"));
        Assert.Equal(2, Assert.Single(metrics.Longs("db.client.response.returned_rows")).Value);
    }

    [Fact]
    public async Task Batch_operations_get_a_span_with_the_batch_size_and_the_gauge_counts_vectors_per_index()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(StorageInstrumentation.Name).AddInMemoryExporter(spans).Build();
        using var instrumentation = new StorageInstrumentation();
        using var metrics = new Recorder(instrumentation.Meter);
        var mock = await TestStorage.MockWithIndexAsync("traced-batch");
        var storage = new TelemetryVectorStorage(mock, instrumentation);
        var batch = storage.GetRequiredService<IBatchVectorStorage>();

        await batch.UpsertManyAsync(IndexName.Parse("traced-batch"), [TestStorage.Record("a", 1, 0, 0, 0), TestStorage.Record("b", 0, 1, 0, 0), TestStorage.Record("c", 0, 0, 1, 0)]);
        await storage.DescribeIndexAsync(IndexName.Parse("traced-batch"));
        tracing.ForceFlush();
        metrics.Collect();

        var span = Assert.Single(spans, s => Equals(s.GetTagItem("db.operation.name"), "upsert_many"));
        Assert.Equal(3, span.GetTagItem("db.operation.batch.size"));
        Assert.Equal(3L, span.GetTagItem("db.response.returned_rows"));
        var vectors = Assert.Single(metrics.Longs("theodore.storage.vectors"), m => Equals(m.Tags["db.collection.name"], "traced-batch"));
        Assert.Equal(3, vectors.Value);
    }

    [Fact]
    public async Task GetService_reaches_the_adapters_ports_through_the_telemetry_layer()
    {
        using var instrumentation = new StorageInstrumentation();
        var mock = await TestStorage.MockWithIndexAsync("ports");
        var storage = new TelemetryVectorStorage(mock, instrumentation);

        Assert.NotNull(storage.GetService<IBatchVectorStorage>());
        Assert.NotNull(storage.GetService<IStreamingVectorStorage>());
        Assert.Null(storage.GetService<IBackupStorage>());
        Assert.Same(mock, storage.GetService<MockVectorStorage>());
    }

    /// <summary>Collects every measurement of one meter's instruments (and nothing else's).</summary>
    internal sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, object Value, Dictionary<string, object?> Tags)> _measurements = [];

        public Recorder(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public void Collect() => _listener.RecordObservableInstruments();

        public IReadOnlyList<(long Value, Dictionary<string, object?> Tags)> Longs(string name)
        {
            lock (_measurements)
            {
                return [.. _measurements.Where(m => m.Name == name).Select(m => ((long)m.Value, m.Tags))];
            }
        }

        public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Doubles(string name)
        {
            lock (_measurements)
            {
                return [.. _measurements.Where(m => m.Name == name).Select(m => ((double)m.Value, m.Tags))];
            }
        }

        public void Dispose() => _listener.Dispose();

        private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            where T : struct
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, tagValue) in tags)
            {
                copy[key] = tagValue;
            }

            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, copy));
            }
        }
    }
}
