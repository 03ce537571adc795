using System.Numerics.Tensors;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// The engine stores a cosine vector divided by its norm. Dividing an already normalized vector again can move its
/// last bits, so a snapshot reloaded through the engine would not be byte-equal to what Get returned. Durable cosine
/// writes are therefore normalized here, the engine's way, until the norm is exactly 1: the engine's own division
/// then changes nothing, and reloading gives back the same bytes.
/// </summary>
internal static class CosineVectors
{
    private const int MaxRounds = 8;

    public static float[] Canonical(ReadOnlySpan<float> vector)
    {
        var values = vector.ToArray();
        for (var round = 0; round < MaxRounds; round++)
        {
            var norm = TensorPrimitives.Norm(values);
            if (norm == 1f)
            {
                break;
            }

            TensorPrimitives.Divide(values, norm, values);
        }

        return values;
    }
}
