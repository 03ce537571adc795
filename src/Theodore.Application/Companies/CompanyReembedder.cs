using Microsoft.Extensions.Logging;
using Theodore.Application.Embeddings;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Companies;

public enum ReembedState
{
    None,
    Running,
    Completed,
    Failed,
}

/// <summary>Where a re-embed stands: counts, times, both contracts, and the error of a failed one.</summary>
public sealed record ReembedStatus(
    ReembedState State,
    long Processed,
    long Total,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    GeneratorContract? From,
    GeneratorContract? To,
    string? FromIndex,
    string? ToIndex,
    string? Error)
{
    public static ReembedStatus None { get; } = new(ReembedState.None, 0, 0, null, null, null, null, null, null, null);
}

/// <summary>
/// Changes the companies' model without downtime: a new index is filled in the background by the new generator
/// (every stored company, plus every write made meanwhile, which goes to both), while the old index keeps serving;
/// then the catalog and the API switch to it at once, and the old index is dropped when its last reader is done.
/// Readers never see a half-filled index: until the switch they use the old one whole, after it the new one whole.
/// One re-embed at a time; progress in <see cref="Status"/>.
/// </summary>
public sealed partial class CompanyReembedder(
    CompanyIndex index,
    IEmbeddingGeneratorFactory generators,
    TimeProvider time,
    ILoggerFactory loggers) : IAsyncDisposable
{
    /// <summary>How long, on an eventually consistent backend, the new index may take to count what the old one does.</summary>
    internal static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan SettlePoll = TimeSpan.FromMilliseconds(100);

    private readonly ILogger _logger = loggers.CreateLogger(Behaviors.ApplicationLog.Category);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private ReembedStatus _status = ReembedStatus.None;
    private long _processed;
    private Task _run = Task.CompletedTask;

    public ReembedStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status.State == ReembedState.Running ? _status with { Processed = Interlocked.Read(ref _processed) } : _status;
            }
        }
    }

    /// <summary>Starts a re-embed with a new generator of <paramref name="provider"/>; returns at once with its status.</summary>
    public async Task<ReembedStatus> StartAsync(string provider, string? model, int? dimensions, CancellationToken cancellationToken)
    {
        var active = await index.EnsureAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_status.State == ReembedState.Running)
            {
                throw new ReembedConflictException($"A re-embed into '{_status.ToIndex}' is running ({Interlocked.Read(ref _processed)} of {_status.Total}); wait for it to finish.");
            }

            Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> generator;
            try
            {
                generator = generators.Create(provider, model, dimensions);
            }
            catch (ArgumentException ex)
            {
                // the factory names the providers and models it knows
                throw new InvalidRequestException(ex.Message, ex);
            }

            var target = CompanyIndex.Bind(index.NextPhysicalName(active.Index), generator);
            Interlocked.Exchange(ref _processed, 0);
            _status = new ReembedStatus(ReembedState.Running, 0, 0, time.GetUtcNow(), null, active.Contract, target.Contract, active.Index.Value, target.Index.Value, null);
            _run = Task.Run(() => RunAsync(active, target, _stopping.Token), CancellationToken.None);
            return _status;
        }
    }

    /// <summary>Waits for the running re-embed, if any (tests and shutdown).</summary>
    public Task WaitAsync() => _run;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CompanyBinding source, CompanyBinding target, CancellationToken cancellationToken)
    {
        var storage = index.Storage;
        try
        {
            await CreateFreshAsync(storage, target, cancellationToken).ConfigureAwait(false);
            var total = (await storage.GetStatsAsync(source.Index, cancellationToken).ConfigureAwait(false)).TotalVectors;
            SetTotal(total);
            using (await index.ExclusiveAsync(cancellationToken).ConfigureAwait(false))
            {
                index.StartFilling(target); // from here every write reaches the new index too
            }

            var lister = storage.GetRequiredService<IStreamingVectorStorage>();
            var request = new ListRequest { Limit = Math.Min(index.BatchSize, 32), IncludeValues = false, IncludeMetadata = true };
            while (true)
            {
                var page = await lister.ListAsync(source.Index, request, cancellationToken).ConfigureAwait(false);
                if (page.Records.Count > 0)
                {
                    await CopyAsync(storage, source, target, page.Records, cancellationToken).ConfigureAwait(false);
                }

                if (page.NextCursor is null)
                {
                    break;
                }

                request = request with { Cursor = page.NextCursor };
            }

            CompanyBinding previous;
            using (await index.ExclusiveAsync(cancellationToken).ConfigureAwait(false))
            {
                await SettleAsync(storage, source, target, cancellationToken).ConfigureAwait(false);
                previous = await index.SwitchToAsync(target, cancellationToken).ConfigureAwait(false);
            }

            Finish(ReembedState.Completed, null);
            await index.RetireAsync(previous, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, ex, target.Index.Value);
            await AbandonAsync(storage, target).ConfigureAwait(false);
            Finish(ReembedState.Failed, ex is OperationCanceledException ? "stopped: the API shut down" : ex.Message);
        }
    }

    /// <summary>
    /// One page, as listed (metadata, no vectors): embedded with the write gate open, so writes never wait for the
    /// model; then, with the gate closed, read again and copy only the companies still stored as they were listed. A
    /// company written or deleted in between is left alone: since <see cref="CompanyIndex.StartFilling"/> that write
    /// reached the new index itself.
    /// </summary>
    private async Task CopyAsync(IVectorStorage storage, CompanyBinding source, CompanyBinding target, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToArray();
        var companies = records.Select(r => CompanyMetadata.FromMetadata(r.Id, r.Metadata)).ToArray();
        var vectors = await target.EmbedDocumentsAsync([.. companies.Select(CompanyText.For)], cancellationToken).ConfigureAwait(false);
        using (await index.ExclusiveAsync(cancellationToken).ConfigureAwait(false))
        {
            var current = (await StorageBatches.GetManyAsync(storage, source.Index, ids, cancellationToken).ConfigureAwait(false))
                .ToDictionary(r => r.Id, r => r.Metadata);
            var copies = records
                .Select((r, k) => new VectorRecord(r.Id, vectors[k], r.Metadata))
                .Where(r => current.TryGetValue(r.Id, out var now) && now.Equals(r.Metadata))
                .ToArray();
            await StorageBatches.UpsertAllAsync(storage, target.Index, copies, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Add(ref _processed, ids.Length);
    }

    /// <summary>
    /// On an eventually consistent backend (Pinecone) the listing shows only what has become visible, and the copies
    /// become visible later too: switching at once could miss a company written just before the re-embed started, and
    /// readers would see the new index half-filled for a moment. So before the switch the two indexes must count the
    /// same number of companies; if they do not within <see cref="SettleTimeout"/>, the re-embed fails (the old index
    /// keeps serving) rather than switching to an index that lacks companies. Called with the write gate closed, so no
    /// write moves either count meanwhile: writes wait the moment the backend takes to show the copies. Strong
    /// backends skip this.
    /// </summary>
    private async Task SettleAsync(IVectorStorage storage, CompanyBinding source, CompanyBinding target, CancellationToken cancellationToken)
    {
        if (storage.Capabilities.Consistency != ConsistencyLevel.Eventual)
        {
            return;
        }

        var started = time.GetTimestamp();
        while (true)
        {
            var old = (await storage.GetStatsAsync(source.Index, cancellationToken).ConfigureAwait(false)).TotalVectors;
            var copied = (await storage.GetStatsAsync(target.Index, cancellationToken).ConfigureAwait(false)).TotalVectors;
            if (old == copied)
            {
                return;
            }

            if (time.GetElapsedTime(started) > SettleTimeout)
            {
                throw new InvalidOperationException(
                    $"After {SettleTimeout.TotalSeconds:0} s the new index '{target.Index.Value}' counts {copied} companies and '{source.Index.Value}' {old}; " +
                    "on an eventually consistent backend a company written just before the re-embed may not have been listed. Start the re-embed again.");
            }

            await Task.Delay(SettlePoll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CreateFreshAsync(IVectorStorage storage, CompanyBinding target, CancellationToken cancellationToken)
    {
        try
        {
            await storage.DeleteIndexAsync(target.Index, cancellationToken).ConfigureAwait(false); // left by a re-embed that did not finish
        }
        catch (IndexNotFoundException)
        {
            // the usual case
        }

        await storage.CreateIndexAsync(target.Contract.ToIndexDefinition(target.Index), cancellationToken).ConfigureAwait(false);
    }

    private async Task AbandonAsync(IVectorStorage storage, CompanyBinding target)
    {
        using (await index.ExclusiveAsync(CancellationToken.None).ConfigureAwait(false))
        {
            index.StopFilling();
        }

        try
        {
            await storage.DeleteIndexAsync(target.Index, CancellationToken.None).ConfigureAwait(false);
        }
        catch (VectorStorageException ex)
        {
            LogLeftBehind(_logger, ex, target.Index.Value);
        }

        target.Generator.Dispose();
    }

    private void SetTotal(long total)
    {
        lock (_lock)
        {
            _status = _status with { Total = total };
        }
    }

    private void Finish(ReembedState state, string? error)
    {
        lock (_lock)
        {
            _status = _status with { State = state, Processed = Interlocked.Read(ref _processed), FinishedAt = time.GetUtcNow(), Error = error };
        }
    }

    [LoggerMessage(EventId = 1012, EventName = "ReembedFailed", Level = LogLevel.Error, Message = "Re-embedding the companies into {Index} failed; the old index keeps serving")]
    private static partial void LogFailed(ILogger logger, Exception exception, string index);

    [LoggerMessage(EventId = 1013, EventName = "ReembedLeftIndex", Level = LogLevel.Warning, Message = "Could not drop {Index}, left by a failed re-embed; the next re-embed replaces it")]
    private static partial void LogLeftBehind(ILogger logger, Exception exception, string index);
}

/// <summary>A re-embed is running already (409 <c>conflict</c>).</summary>
public sealed class ReembedConflictException : VectorStorageException
{
    public const string ConflictCode = "conflict";

    public ReembedConflictException(string message)
        : base(message, ConflictCode)
    {
    }

    public ReembedConflictException()
        : this("A re-embed is running already.")
    {
    }

    public ReembedConflictException(string message, Exception innerException)
        : base(message, ConflictCode, innerException)
    {
    }
}
