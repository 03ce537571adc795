namespace Theodore.Adapters.Embeddings.Remote;

/// <summary>Cuts the texts of one call into requests and puts the vectors back in the order of the texts.</summary>
internal static class RemoteBatches
{
    /// <summary>
    /// Calls <paramref name="embed"/> once per slice of <paramref name="batchSize"/> texts, at most
    /// <paramref name="maxConcurrency"/> at once; the first failure cancels the rest and is thrown.
    /// </summary>
    public static async Task<float[][]> EmbedInOrderAsync(
        string[] texts,
        int batchSize,
        int maxConcurrency,
        Func<string[], CancellationToken, Task<IReadOnlyList<float[]>>> embed,
        CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Length][];
        var slices = (texts.Length + batchSize - 1) / batchSize;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, slices), parallel, async (slice, token) =>
        {
            var start = slice * batchSize;
            var batch = texts[start..Math.Min(start + batchSize, texts.Length)];
            var got = await embed(batch, token).ConfigureAwait(false);
            if (got.Count != batch.Length)
            {
                throw new InvalidOperationException($"The provider returned {got.Count} vectors for {batch.Length} texts.");
            }

            for (var i = 0; i < got.Count; i++)
            {
                vectors[start + i] = got[i];
            }
        }).ConfigureAwait(false);
        return vectors;
    }

    /// <summary>Throws unless <paramref name="vector"/> has the <paramref name="dimension"/> the generator declared.</summary>
    public static float[] CheckDimension(float[] vector, int dimension, string model, string section)
    {
        if (vector.Length != dimension)
        {
            throw new InvalidOperationException(
                $"Model '{model}' returned a {vector.Length}-d vector where {dimension} were declared; set {section}:Dimensions to {vector.Length} (and re-embed), or pick the model the index was built with.");
        }

        return vector;
    }
}
