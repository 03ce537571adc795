using Theodore.Adapters.Pinecone.Wire;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// The index lifecycle on the control plane: create (and wait until ready), describe, list, delete, and the cache of
/// each index's definition and host that keeps steady-state data calls to one request.
/// </summary>
public sealed partial class PineconeVectorStorage
{
    public async ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        const string operation = "CreateIndex";
        var name = definition.Name.Value;
        if (!PineconeCapabilities.Metrics.Contains(definition.Metric))
        {
            throw new UnsupportedOperationException($"Pinecone has no {definition.Metric} metric; use cosine, euclidean or dot product.")
            {
                SystemName = PineconeConstants.SystemName,
                Index = name,
                Operation = operation,
            };
        }

        if (definition.Hnsw is not null)
        {
            throw new UnsupportedOperationException("Pinecone serverless manages its own index structure; HNSW options cannot be set.")
            {
                SystemName = PineconeConstants.SystemName,
                Index = name,
                Operation = operation,
            };
        }

        var request = new CreateIndexRequest(
            name,
            definition.Dimension,
            PineconeMetrics.ToWire(definition.Metric),
            new IndexSpec(new ServerlessSpec(_options.Cloud, _options.Region)),
            _options.DeletionProtection ? "enabled" : "disabled",
            PineconeIndexTags.Write(definition),
            "dense");
        var created = await CallAsync(operation, name, ct => _control.CreateIndexAsync(request, ct), cancellationToken).ConfigureAwait(false);
        var ready = await WaitUntilReadyAsync(created, cancellationToken).ConfigureAwait(false);
        var known = Remember(ready, operation);
        Log.IndexCreated(_logger, name, known.Host);
        return new IndexInfo(known.Definition, 0, null, null);
    }

    /// <summary>Describes the index on the control plane (refreshing the cached definition) and counts its vectors: two requests.</summary>
    public async ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        const string operation = "DescribeIndex";
        var model = await DescribeModelAsync(index.Value, operation, cancellationToken).ConfigureAwait(false);
        var known = Remember(model, operation);
        var stats = await StatsUnlessDeletedAsync(known, operation, cancellationToken).ConfigureAwait(false)
            ?? throw new IndexNotFoundException(index.Value) { SystemName = PineconeConstants.SystemName, Operation = operation };
        return new IndexInfo(known.Definition, stats.TotalVectorCount ?? 0, null, null);
    }

    /// <summary>Lists the project's dense indexes in name order: one list request, then one stats request per ready index.</summary>
    public async ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default)
    {
        const string operation = "ListIndexes";
        var list = await CallAsync(operation, null, ct => _control.ListIndexesAsync(ct), cancellationToken).ConfigureAwait(false);
        var usable = (list.Indexes ?? [])
            .Where(m => m.Status is { Ready: true } && !IsGone(m) && IsDense(m) && IndexName.TryParse(m.Name, out _, out _))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToArray();
        var infos = new IndexInfo?[usable.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, usable.Length),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var known = Remember(usable[i], operation);
                if (await StatsUnlessDeletedAsync(known, operation, ct).ConfigureAwait(false) is { } stats)
                {
                    infos[i] = new IndexInfo(known.Definition, stats.TotalVectorCount ?? 0, null, null);
                }
            }).ConfigureAwait(false);
        return [.. infos.OfType<IndexInfo>()];
    }

    public async ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        _known.TryRemove(index.Value, out _);
        await CallAsync(
            "DeleteIndex",
            index.Value,
            async ct =>
            {
                await _control.DeleteIndexAsync(index.Value, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        _known.TryRemove(index.Value, out _);
    }

    private static bool IsGone(IndexModel model) =>
        model.Status?.State is "Terminating" or "InitializationFailed" or "Disabled";

    private static bool IsDense(IndexModel model) =>
        model.Dimension is not null && (model.VectorType is null || string.Equals(model.VectorType, "dense", StringComparison.Ordinal));

    private async ValueTask<KnownIndex> ResolveAsync(IndexName index, string operation, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(index.Value, out var known))
        {
            return known;
        }

        var model = await DescribeModelAsync(index.Value, operation, cancellationToken).ConfigureAwait(false);
        return Remember(model, operation);
    }

    /// <summary>The control plane's <c>GET /indexes/{name}</c>, errors mapped as every call's.</summary>
    private Task<IndexModel> DescribeModelAsync(string name, string operation, CancellationToken cancellationToken) =>
        CallAsync(operation, name, ct => _control.DescribeIndexAsync(name, ct), cancellationToken);

    private KnownIndex Remember(IndexModel model, string operation)
    {
        if (IsGone(model))
        {
            _known.TryRemove(model.Name, out _);
            throw new IndexNotFoundException(model.Name) { SystemName = PineconeConstants.SystemName, Operation = operation };
        }

        if (!IsDense(model))
        {
            throw new UnsupportedOperationException($"Index '{model.Name}' is not a dense Pinecone index; Theodore stores dense vectors only.")
            {
                SystemName = PineconeConstants.SystemName,
                Index = model.Name,
                Operation = operation,
            };
        }

        if (model.Status is not { Ready: true } || string.IsNullOrEmpty(model.Host))
        {
            throw new StorageUnavailableException($"Index '{model.Name}' is not ready yet (state {model.Status?.State ?? "unknown"}).")
            {
                SystemName = PineconeConstants.SystemName,
                Index = model.Name,
                Operation = operation,
                RetryAfter = _options.IndexReadyPollInterval,
            };
        }

        var definition = new IndexDefinition(
            IndexName.Parse(model.Name),
            model.Dimension!.Value,
            PineconeMetrics.FromWire(model.Metric, model.Name),
            PineconeIndexTags.ReadEmbedding(model.Tags));
        var known = new KnownIndex(definition, HostUri(model.Host));
        _known[model.Name] = known;
        return known;
    }

    // Pinecone returns the host without a scheme; Pinecone Local and fakes serve plain http, as the control plane does.
    private Uri HostUri(string host) =>
        host.Contains("://", StringComparison.Ordinal) ? new Uri(host, UriKind.Absolute) : new Uri($"{_dataScheme}://{host}", UriKind.Absolute);

    private async Task<IndexModel> WaitUntilReadyAsync(IndexModel model, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.IndexReadyTimeout;
        while (model.Status is not { Ready: true })
        {
            if (model.Status?.State is "InitializationFailed" or "Terminating" or "Disabled")
            {
                throw new VectorStorageException($"Index '{model.Name}' did not become ready: Pinecone reports {model.Status.State}.")
                {
                    SystemName = PineconeConstants.SystemName,
                    Index = model.Name,
                    Operation = "CreateIndex",
                };
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new StorageTimeoutException($"Index '{model.Name}' was not ready within {_options.IndexReadyTimeout} (state {model.Status?.State ?? "unknown"}).")
                {
                    SystemName = PineconeConstants.SystemName,
                    Index = model.Name,
                    Operation = "CreateIndex",
                };
            }

            await Task.Delay(_options.IndexReadyPollInterval, _time, cancellationToken).ConfigureAwait(false);
            model = await DescribeModelAsync(model.Name, "CreateIndex", cancellationToken).ConfigureAwait(false);
        }

        return model;
    }

    private Task<IndexDescription> DescribeStatsAsync(KnownIndex known, string operation, CancellationToken cancellationToken) =>
        DataAsync(known, operation, (data, ct) => data.DescribeIndexStatsAsync(new DescribeIndexStatsRequest(), ct), cancellationToken);

    /// <summary>
    /// The index's stats, or null when it was deleted after the control plane described it: its host then answers 404
    /// or, once gone, refuses the connection (Pinecone Local closes a deleted index's port). A host that cannot be
    /// reached is an outage unless the control plane, asked again, no longer has the index.
    /// </summary>
    private async Task<IndexDescription?> StatsUnlessDeletedAsync(KnownIndex known, string operation, CancellationToken cancellationToken)
    {
        var name = known.Definition.Name.Value;
        try
        {
            return await DescribeStatsAsync(known, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (IndexNotFoundException)
        {
            _known.TryRemove(name, out _);
            return null;
        }
        catch (StorageUnavailableException) when (!cancellationToken.IsCancellationRequested)
        {
            if (await ExistsAsync(name, operation, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            _known.TryRemove(name, out _);
            return null;
        }
    }

    private async Task<bool> ExistsAsync(string name, string operation, CancellationToken cancellationToken)
    {
        try
        {
            var model = await DescribeModelAsync(name, operation, cancellationToken).ConfigureAwait(false);
            return !IsGone(model);
        }
        catch (IndexNotFoundException)
        {
            return false;
        }
    }
}
