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

    /// <summary>
    /// 4-bit codes, 16 levels over the vector's own range, two components a byte (an eighth of the float row); the
    /// query keeps an 8-bit code, so the walk's estimates are asymmetric (see <c>LowBitCodes</c>). Needs a larger
    /// rerank than int8 (<see cref="VectorIndexOptions.DefaultRerankFactorFor"/>).
    /// </summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "int4 is this quantization's name on the wire.")]
    Int4 = 2,

    /// <summary>
    /// 1-bit codes, a component's bit set where it is above the vector's mean (a 32nd of the float row), compared with
    /// the query's 8-bit code by popcounts of its bit planes. The coarsest estimate: it relies on a large rerank.
    /// </summary>
    Binary = 3,
}
