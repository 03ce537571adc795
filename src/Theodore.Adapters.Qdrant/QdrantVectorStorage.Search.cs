using Qdrant.Client.Grpc;
using Theodore.Core.Domain;
using Vectors = Theodore.Core.Domain.Vectors;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Qdrant;

public sealed partial class QdrantVectorStorage
{
    /// <summary>
    /// One Query call (after the first describe of an index, see the class remarks). A deadline
    /// (<see cref="SearchOptions.Timeout"/>) is sent as Qdrant's own <c>timeout</c> (whole seconds, rounded up) and
    /// cancels the call at the exact moment; either way the answer is <see cref="StorageTimeoutException"/>.
    /// </summary>
    public async ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        const string operation = "Search";
        var started = _time.GetTimestamp();
        using var deadline = SearchDeadline.Start(options, Capabilities, index.Value, operation, cancellationToken);
        try
        {
            var definition = await CheckedAsync(index, operation, d => Vectors.ThrowIfInvalidQuery(d, vector.Span, QdrantConstants.SystemName, operation), deadline.Token).ConfigureAwait(false);
            var dense = new DenseVector();
            dense.Data.Add(vector.Span.ToArray());
            var query = new Query { Nearest = new VectorInput { Dense = dense } };
            var matches = await QueryAsync(index, definition, query, options, operation, null, deadline.Token).ConfigureAwait(false);
            return new SearchResult(matches, Approximate: !options.Exact, _time.GetElapsedTime(started));
        }
        catch (Exception error) when (deadline.HasPassed && error is OperationCanceledException or StorageTimeoutException)
        {
            throw deadline.Exceeded(QdrantConstants.SystemName, index.Value, operation, error);
        }
    }

    /// <summary>
    /// One Query call nearest to the stored point: Qdrant looks the point up by id (the UUID names the namespace too) and
    /// leaves it out of the results itself (it adds must_not has_id, collection_query.rs); a missing point is NOT_FOUND
    /// "No point with id", which becomes <see cref="RecordNotFoundException"/>.
    /// </summary>
    public async ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(options);
        const string operation = "SearchById";
        var started = _time.GetTimestamp();
        using var deadline = SearchDeadline.Start(options, Capabilities, index.Value, operation, cancellationToken);
        try
        {
            var definition = await DefinitionAsync(index, operation, deadline.Token).ConfigureAwait(false);
            var query = new Query { Nearest = new VectorInput { Id = new PointId { Uuid = QdrantPointIds.ToUuid(options.Namespace, id).ToString("D") } } };
            var matches = await QueryAsync(index, definition, query, options, operation, id.Value, deadline.Token).ConfigureAwait(false);
            return new SearchResult(matches, Approximate: !options.Exact, _time.GetElapsedTime(started));
        }
        catch (Exception error) when (deadline.HasPassed && error is OperationCanceledException or StorageTimeoutException)
        {
            throw deadline.Exceeded(QdrantConstants.SystemName, index.Value, operation, error);
        }
    }

    private async ValueTask<List<SearchMatch>> QueryAsync(IndexName index, IndexDefinition definition, Query query, SearchOptions options, string operation, string? recordId, CancellationToken cancellationToken)
    {
        var filter = QdrantFilters.Build(options.Namespace, options.Filter);
        var parameters = new SearchParams { Exact = options.Exact };
        if (options.Ef is { } ef)
        {
            parameters.HnswEf = (ulong)ef;
        }

        var payload = options.IncludeMetadata
            ? new WithPayloadSelector { Include = Fields(QdrantPayload.IdKey, QdrantPayload.MetadataKey) }
            : new WithPayloadSelector { Include = Fields(QdrantPayload.IdKey) };
        var metric = definition.Metric;
        var points = await CallAsync(
            index.Value,
            operation,
            () => _client.QueryAsync(
                index.Value,
                query,
                filter: filter,
                scoreThreshold: QdrantScores.ServerThreshold(metric, options.ScoreThreshold),
                searchParams: parameters,
                limit: (ulong)options.TopK,
                offset: (ulong)options.Offset,
                payloadSelector: payload,
                vectorsSelector: new WithVectorsSelector { Enable = options.IncludeValues },
                timeout: ServerTimeout(options.Timeout),
                cancellationToken: cancellationToken),
            cancellationToken,
            recordId).ConfigureAwait(false);

        var matches = new List<SearchMatch>(points.Count);
        foreach (var point in points)
        {
            var score = QdrantScores.ScoreOf(metric, point.Score);
            if (options.ScoreThreshold is { } threshold && score < threshold)
            {
                continue; // Theodore keeps score >= t; Qdrant was sent a bound that lets every such match through
            }

            matches.Add(new SearchMatch(
                QdrantPayload.IdOf(point.Payload),
                score,
                QdrantScores.DistanceOf(metric, point.Score, score),
                options.IncludeValues ? (ReadOnlyMemory<float>?)QdrantPayload.ValuesOf(point.Vectors) : null, // a bare null would become an empty vector
                options.IncludeMetadata ? QdrantPayload.MetadataOf(point.Payload) : null));
        }

        SearchResult.EnsureOrder(matches);
        return matches;
    }

    // Qdrant takes whole seconds (the client refuses a fraction): rounded up, so the server never stops before the
    // deadline; the call itself is cancelled at the exact moment.
    internal static TimeSpan? ServerTimeout(TimeSpan? timeout) =>
        timeout is { } t ? TimeSpan.FromSeconds(Math.Ceiling(t.TotalSeconds)) : null;
}
