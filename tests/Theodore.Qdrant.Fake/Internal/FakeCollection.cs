using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>One collection: its creation request as stored, payload indexes, and points brute force under one lock.</summary>
internal sealed class FakeCollection(string name, CreateCollection request)
{
    private readonly SortedDictionary<PointKey, FakePoint> _points = [];

    public string Name { get; } = name;

    public CreateCollection Request { get; } = request;

    public int Dimension => (int)Request.VectorsConfig.Params.Size;

    public Distance Distance => Request.VectorsConfig.Params.Distance;

    public Lock Gate { get; } = new();

    public Dictionary<string, PayloadSchemaInfo> PayloadIndexes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<PointKey, FakePoint> Points => _points;

    /// <summary>
    /// Qdrant's cosine preprocessing (lib/segment/src/spaces/simple.rs): divide by the length unless the squared length
    /// is below f32 epsilon or within 1e-6 of 1. Other metrics store the vector as given.
    /// </summary>
    public float[] Preprocess(IReadOnlyList<float> vector)
    {
        var copy = vector.ToArray();
        if (Distance != Distance.Cosine)
        {
            return copy;
        }

        var squared = 0f;
        foreach (var v in copy)
        {
            squared += v * v;
        }

        if (squared < float.Epsilon || Math.Abs(squared - 1f) <= 1e-6f)
        {
            return copy;
        }

        var length = MathF.Sqrt(squared);
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] /= length;
        }

        return copy;
    }

    /// <summary>The f32 score Qdrant reports: the (normalized) dot for Cosine and Dot, the L2 or L1 distance for Euclid and Manhattan.</summary>
    public float Score(float[] query, float[] stored)
    {
        var sum = 0f;
        switch (Distance)
        {
            case Distance.Euclid:
                for (var i = 0; i < query.Length; i++)
                {
                    var d = query[i] - stored[i];
                    sum += d * d;
                }

                return MathF.Sqrt(sum);
            case Distance.Manhattan:
                for (var i = 0; i < query.Length; i++)
                {
                    sum += Math.Abs(query[i] - stored[i]);
                }

                return sum;
            default:
                for (var i = 0; i < query.Length; i++)
                {
                    sum += query[i] * stored[i];
                }

                return sum;
        }
    }

    /// <summary>Distances rank ascending, similarities descending.</summary>
    public bool AscendingScores => Distance is Distance.Euclid or Distance.Manhattan;

    /// <summary>Qdrant's threshold is strict: score &gt; t for similarities, distance &lt; t for distances.</summary>
    public bool PassesThreshold(float score, float threshold) => AscendingScores ? score < threshold : score > threshold;
}

/// <summary>A stored point: its vector (as preprocessed) and payload.</summary>
internal sealed record FakePoint(PointKey Id, float[] Vector, MapField<string, Value> Payload);
