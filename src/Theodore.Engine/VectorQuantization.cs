using System.Diagnostics.CodeAnalysis;

namespace Theodore.Engine;

/// <summary>What a search walks the graph on; every kind reranks its best candidates on the float vectors.</summary>
public enum VectorQuantization
{
    /// <summary>The float vectors: every distance is exact.</summary>
    None = 0,

    /// <summary>
    /// 8-bit scalar codes, one byte per component over the vector's own range (a quarter of the float row), compared
    /// with an integer dot product; the best <see cref="VectorIndexOptions.RerankFactor"/> x k candidates are then
    /// measured exactly.
    /// </summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "int8 is this quantization's name in every vector database and on the wire.")]
    Int8 = 1,
}
