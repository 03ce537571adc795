namespace Theodore.Core.Ports;

/// <summary>Turns texts into vectors with one named model and version, all of <see cref="Dimension"/> length.</summary>
public interface IEmbeddingGenerator
{
    string Model { get; }

    string Version { get; }

    int Dimension { get; }

    ValueTask<IReadOnlyList<ReadOnlyMemory<float>>> GenerateAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
