using Theodore.Core.Domain;

namespace Theodore.Adapters.Native.Tests;

internal static class TestVectors
{
    /// <summary>Uniform in [-1, 1) per component, never the zero vector (cosine refuses it).</summary>
    public static float[] Random(Random random, int dimension)
    {
        var values = new float[dimension];
        do
        {
            for (var i = 0; i < dimension; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1);
            }
        }
        while (Vectors.SquaredNorm(values) == 0);

        return values;
    }

    /// <summary>
    /// Points around <paramref name="clusters"/> random centres with Gaussian spread, as embeddings of similar items sit.
    /// </summary>
    public static float[][] Clustered(Random random, int count, int dimension, int clusters, double spread)
    {
        var centres = Enumerable.Range(0, clusters).Select(_ => Random(random, dimension)).ToArray();
        var points = new float[count][];
        for (var n = 0; n < count; n++)
        {
            var centre = centres[random.Next(clusters)];
            var point = new float[dimension];
            for (var i = 0; i < dimension; i++)
            {
                point[i] = centre[i] + (float)(Gaussian(random) * spread);
            }

            points[n] = point;
        }

        return points;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
