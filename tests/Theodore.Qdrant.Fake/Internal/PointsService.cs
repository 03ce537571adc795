using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>
/// The Points RPCs the adapter calls, brute force and with the server's rules (qdrant-grpc.md): Upsert, Get, Delete,
/// Scroll, Count, Query (nearest by vector or by point id, the looked-up point excluded), SetPayload, OverwritePayload and
/// CreateFieldIndex.
/// </summary>
internal sealed class PointsService(FakeStore store, QdrantFakeOptions options) : Points.PointsBase
{
    public override Task<PointsOperationResponse> Upsert(UpsertPoints request, ServerCallContext context)
    {
        var collection = store.Find(request.CollectionName);
        var prepared = new List<FakePoint>(request.Points.Count);
        foreach (var point in request.Points)
        {
            var key = PointKey.Parse(point.Id);
            var vector = DenseOf(point.Vectors);
            if (vector.Count != collection.Dimension)
            {
                throw FakeErrors.Dimension(collection.Dimension, vector.Count);
            }

            CheckPayload(point.Payload);
            prepared.Add(new FakePoint(key, collection.Preprocess(vector), point.Payload.Clone()));
        }

        lock (collection.Gate)
        {
            foreach (var point in prepared)
            {
                collection.Points[point.Id] = point;
            }
        }

        return Task.FromResult(Completed(request.HasWait && request.Wait));
    }

    public override Task<PointsOperationResponse> Delete(DeletePoints request, ServerCallContext context)
    {
        var collection = store.Find(request.CollectionName);
        var selector = request.Points ?? throw FakeErrors.Invalid("Malformed PointsSelector: no selector given");
        lock (collection.Gate)
        {
            switch (selector.PointsSelectorOneOfCase)
            {
                case PointsSelector.PointsSelectorOneOfOneofCase.Points:
                    foreach (var key in selector.Points.Ids.Select(PointKey.Parse).ToList())
                    {
                        collection.Points.Remove(key);
                    }

                    break;
                case PointsSelector.PointsSelectorOneOfOneofCase.Filter:
                    FakeFilter.Validate(selector.Filter);
                    foreach (var key in collection.Points.Values.Where(p => FakeFilter.Matches(selector.Filter, p.Id, p.Payload)).Select(p => p.Id).ToList())
                    {
                        collection.Points.Remove(key);
                    }

                    break;
                default:
                    throw FakeErrors.Invalid("Malformed PointsSelector: no selector given");
            }
        }

        return Task.FromResult(Completed(request.HasWait && request.Wait));
    }

    // Request order, de-duplicated, missing ids left out.
    public override Task<GetResponse> Get(GetPoints request, ServerCallContext context)
    {
        var collection = store.Find(request.CollectionName);
        var keys = request.Ids.Select(PointKey.Parse).ToList();
        var response = new GetResponse { Time = 0.001 };
        var seen = new HashSet<PointKey>();
        lock (collection.Gate)
        {
            foreach (var key in keys)
            {
                if (seen.Add(key) && collection.Points.TryGetValue(key, out var point))
                {
                    response.Result.Add(Retrieved(point, request.WithPayload, request.WithVectors, payloadDefault: true));
                }
            }
        }

        return Task.FromResult(response);
    }

    // Point-id order, inclusive offset, next_page_offset = the first id of the next page; limit unset = 10, 0 refused.
    public override Task<ScrollResponse> Scroll(ScrollPoints request, ServerCallContext context)
    {
        var collection = store.Find(request.CollectionName);
        if (request.HasLimit && request.Limit == 0)
        {
            throw FakeErrors.Validation("limit: value 0 invalid, must be 1 or larger");
        }

        if (request.OrderBy is not null)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "the fake does not implement order_by"));
        }

        var limit = request.HasLimit ? (int)request.Limit : 10;
        var offset = request.Offset is null ? (PointKey?)null : PointKey.Parse(request.Offset);
        FakeFilter.Validate(request.Filter);
        var response = new ScrollResponse { Time = 0.001 };
        lock (collection.Gate)
        {
            foreach (var point in collection.Points.Values)
            {
                if ((offset is { } from && point.Id.CompareTo(from) < 0) || !FakeFilter.Matches(request.Filter, point.Id, point.Payload))
                {
                    continue;
                }

                if (response.Result.Count == limit)
                {
                    response.NextPageOffset = point.Id.ToPointId();
                    break;
                }

                response.Result.Add(Retrieved(point, request.WithPayload, request.WithVectors, payloadDefault: true));
            }
        }

        return Task.FromResult(response);
    }

    public override Task<CountResponse> Count(CountPoints request, ServerCallContext context)
    {
        var collection = store.Find(request.CollectionName);
        FakeFilter.Validate(request.Filter);
        lock (collection.Gate)
        {
            var count = collection.Points.Values.Count(p => FakeFilter.Matches(request.Filter, p.Id, p.Payload));
            return Task.FromResult(new CountResponse { Result = new CountResult { Count = (ulong)count }, Time = 0.001 });
        }
    }

    public override async Task<QueryResponse> Query(QueryPoints request, ServerCallContext context)
    {
        var work = options.QueryDuration;
        if (work > TimeSpan.Zero)
        {
            // the request's timeout bounds the work, as on the server; a cancelled call ends the wait
            if (request.HasTimeout && TimeSpan.FromSeconds(request.Timeout) < work)
            {
                await Task.Delay(TimeSpan.FromSeconds(request.Timeout), context.CancellationToken);
                throw FakeErrors.Timeout("Query", request.Timeout);
            }

            await Task.Delay(work, context.CancellationToken);
        }

        return QueryNow(request);
    }

    private QueryResponse QueryNow(QueryPoints request)
    {
        var collection = store.Find(request.CollectionName);
        if (request.Prefetch.Count > 0 || request.LookupFrom is not null || (request.HasUsing && request.Using.Length > 0))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "the fake does not implement prefetch, lookup_from or named vectors"));
        }

        if (request.Query?.VariantCase != global::Qdrant.Client.Grpc.Query.VariantOneofCase.Nearest)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "the fake implements nearest queries only"));
        }

        if (request.HasLimit && request.Limit == 0)
        {
            throw FakeErrors.Validation("limit: value 0 invalid, must be 1 or larger");
        }

        FakeFilter.Validate(request.Filter);
        var limit = request.HasLimit ? (int)Math.Min(request.Limit, int.MaxValue) : 10;
        var offset = request.HasOffset ? (int)Math.Min(request.Offset, int.MaxValue) : 0;
        var input = request.Query.Nearest;
        var response = new QueryResponse { Time = 0.001 };
        lock (collection.Gate)
        {
            float[] query;
            PointKey? excluded = null;
            switch (input.VariantCase)
            {
                case VectorInput.VariantOneofCase.Dense:
                    if (input.Dense.Data.Count != collection.Dimension)
                    {
                        throw FakeErrors.Dimension(collection.Dimension, input.Dense.Data.Count);
                    }

                    query = collection.Preprocess(input.Dense.Data);
                    break;
                case VectorInput.VariantOneofCase.Id:
                    var key = PointKey.Parse(input.Id);
                    if (!collection.Points.TryGetValue(key, out var self))
                    {
                        throw FakeErrors.PointNotFound(key.ToString());
                    }

                    // the server edits the filter to must_not has_id the referenced point (collection_query.rs)
                    query = self.Vector;
                    excluded = key;
                    break;
                default:
                    throw new RpcException(new Status(StatusCode.Unimplemented, "the fake implements dense and id inputs only"));
            }

            var scored = new List<(FakePoint Point, float Score)>();
            foreach (var point in collection.Points.Values)
            {
                if (excluded is { } ex && point.Id.Equals(ex))
                {
                    continue;
                }

                if (!FakeFilter.Matches(request.Filter, point.Id, point.Payload))
                {
                    continue;
                }

                var score = collection.Score(query, point.Vector);
                if (request.HasScoreThreshold && !collection.PassesThreshold(score, request.ScoreThreshold))
                {
                    continue;
                }

                scored.Add((point, score));
            }

            var ascending = collection.AscendingScores;
            scored.Sort((a, b) =>
            {
                var byScore = ascending ? a.Score.CompareTo(b.Score) : b.Score.CompareTo(a.Score);
                return byScore != 0 ? byScore : a.Point.Id.CompareTo(b.Point.Id);
            });

            foreach (var (point, score) in scored.Skip(offset).Take(limit))
            {
                var retrieved = Retrieved(point, request.WithPayload, request.WithVectors, payloadDefault: false);
                var hit = new ScoredPoint { Id = retrieved.Id, Score = score, Version = 1, Vectors = retrieved.Vectors };
                hit.Payload.Add(retrieved.Payload);
                response.Result.Add(hit);
            }
        }

        return response;
    }

    // Top-level keys replace the point's values; with key, the payload is merged into the object at that top-level key
    // (made when missing or not an object). Points by id: every one must exist, else "No point with id" and nothing set.
    public override Task<PointsOperationResponse> SetPayload(SetPayloadPoints request, ServerCallContext context) =>
        Task.FromResult(UpdatePayload(request, overwrite: false));

    // The point's payload becomes exactly the given one.
    public override Task<PointsOperationResponse> OverwritePayload(SetPayloadPoints request, ServerCallContext context) =>
        Task.FromResult(UpdatePayload(request, overwrite: true));

    public override Task<PointsOperationResponse> CreateFieldIndex(CreateFieldIndexCollection request, ServerCallContext context)
    {
        var collection = store.Find(request.CollectionName);
        PayloadPath.Parse(request.FieldName);
        var type = request.HasFieldType ? request.FieldType : FieldType.Keyword;
        var schema = new PayloadSchemaInfo
        {
            DataType = type switch
            {
                FieldType.Keyword => PayloadSchemaType.Keyword,
                FieldType.Integer => PayloadSchemaType.Integer,
                FieldType.Float => PayloadSchemaType.Float,
                FieldType.Bool => PayloadSchemaType.Bool,
                FieldType.Text => PayloadSchemaType.Text,
                FieldType.Uuid => PayloadSchemaType.Uuid,
                FieldType.Datetime => PayloadSchemaType.Datetime,
                _ => PayloadSchemaType.Geo,
            },
        };
        if (request.FieldIndexParams is { } parameters)
        {
            schema.Params = parameters.Clone();
        }

        lock (collection.Gate)
        {
            collection.PayloadIndexes[request.FieldName] = schema;
        }

        return Task.FromResult(Completed(request.HasWait && request.Wait));
    }

    private PointsOperationResponse UpdatePayload(SetPayloadPoints request, bool overwrite)
    {
        var collection = store.Find(request.CollectionName);
        CheckPayload(request.Payload);
        string? key = null;
        if (request.HasKey)
        {
            PayloadPath.Parse(request.Key);
            if (overwrite || !request.Key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, "the fake sets payload under one top-level key only, and overwrites whole payloads only"));
            }

            key = request.Key;
        }

        var selector = request.PointsSelector ?? throw FakeErrors.Invalid("Malformed PointsSelector: no selector given");
        lock (collection.Gate)
        {
            List<FakePoint> targets;
            switch (selector.PointsSelectorOneOfCase)
            {
                case PointsSelector.PointsSelectorOneOfOneofCase.Points:
                    targets = [];
                    foreach (var id in selector.Points.Ids.Select(PointKey.Parse))
                    {
                        targets.Add(collection.Points.TryGetValue(id, out var found) ? found : throw FakeErrors.PointNotFound(id.ToString()));
                    }

                    break;
                case PointsSelector.PointsSelectorOneOfOneofCase.Filter:
                    FakeFilter.Validate(selector.Filter);
                    targets = collection.Points.Values.Where(p => FakeFilter.Matches(selector.Filter, p.Id, p.Payload)).ToList();
                    break;
                default:
                    throw FakeErrors.Invalid("Malformed PointsSelector: no selector given");
            }

            foreach (var point in targets)
            {
                var payload = overwrite ? new MapField<string, Value>() : point.Payload.Clone();
                if (key is null)
                {
                    foreach (var (field, value) in request.Payload)
                    {
                        payload[field] = value.Clone();
                    }
                }
                else
                {
                    var target = payload.TryGetValue(key, out var existing) && existing.KindCase == Value.KindOneofCase.StructValue
                        ? existing.Clone()
                        : new Value { StructValue = new Struct() };
                    foreach (var (field, value) in request.Payload)
                    {
                        target.StructValue.Fields[field] = value.Clone();
                    }

                    payload[key] = target;
                }

                collection.Points[point.Id] = point with { Payload = payload };
            }
        }

        return Completed(request.HasWait && request.Wait);
    }

    private static RepeatedField<float> DenseOf(Vectors? vectors)
    {
        if (vectors?.VectorsOptionsCase != Vectors.VectorsOptionsOneofCase.Vector)
        {
            throw FakeErrors.WrongInput("the fake serves one unnamed dense vector per point");
        }

        var vector = vectors.Vector;
#pragma warning disable CS0612 // Vector.data is deprecated but still accepted by the server
        return vector.VectorCase switch
        {
            Vector.VectorOneofCase.Dense => vector.Dense.Data,
            Vector.VectorOneofCase.None when vector.Data.Count > 0 => vector.Data,
            _ => throw FakeErrors.WrongInput("the fake serves dense vectors only"),
        };
#pragma warning restore CS0612
    }

    private static void CheckPayload(MapField<string, Value> payload)
    {
        foreach (var value in payload.Values)
        {
            CheckValue(value);
        }
    }

    private static void CheckValue(Value value)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.DoubleValue when !double.IsFinite(value.DoubleValue):
                throw FakeErrors.WrongInput("payload numbers must be finite (NaN and Infinity are not valid JSON)");
            case Value.KindOneofCase.ListValue:
                foreach (var item in value.ListValue.Values)
                {
                    CheckValue(item);
                }

                break;
            case Value.KindOneofCase.StructValue:
                foreach (var item in value.StructValue.Fields.Values)
                {
                    CheckValue(item);
                }

                break;
        }
    }

    private PointsOperationResponse Completed(bool wait) => new()
    {
        Result = new UpdateResult { OperationId = store.NextOperationId(), Status = wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged },
        Time = 0.001,
    };

    private static RetrievedPoint Retrieved(FakePoint point, WithPayloadSelector? withPayload, WithVectorsSelector? withVectors, bool payloadDefault)
    {
        var retrieved = new RetrievedPoint { Id = point.Id.ToPointId() };
        var includePayload = withPayload?.SelectorOptionsCase switch
        {
            WithPayloadSelector.SelectorOptionsOneofCase.Enable => withPayload.Enable,
            WithPayloadSelector.SelectorOptionsOneofCase.Include or WithPayloadSelector.SelectorOptionsOneofCase.Exclude => true,
            _ => payloadDefault,
        };
        if (includePayload)
        {
            foreach (var (key, value) in point.Payload)
            {
                var included = withPayload?.SelectorOptionsCase switch
                {
                    WithPayloadSelector.SelectorOptionsOneofCase.Include => withPayload.Include.Fields.Contains(key),
                    WithPayloadSelector.SelectorOptionsOneofCase.Exclude => !withPayload.Exclude.Fields.Contains(key),
                    _ => true,
                };
                if (included)
                {
                    retrieved.Payload.Add(key, value.Clone());
                }
            }
        }

        if (withVectors is { SelectorOptionsCase: WithVectorsSelector.SelectorOptionsOneofCase.Enable, Enable: true })
        {
            var dense = new DenseVector();
            dense.Data.Add(point.Vector);
            retrieved.Vectors = new VectorsOutput { Vector = new VectorOutput { Dense = dense } };
        }

        return retrieved;
    }
}
