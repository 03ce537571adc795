using System.Diagnostics;
using Theodore.Engine.Distances;
using Theodore.Engine.Graph;

namespace Theodore.Engine;

// The graph walk of a quantized index: on codes of the query, reranked on the float vectors.
public sealed unsafe partial class VectorIndex
{
    private static int SearchQuantized(IndexState st, float* q, int k, int ef, int? rerankFactor, in SlotFilter filter, SearchContext ctx, CancellationToken cancellationToken)
    {
        var codes = st.SearchCodes();
        byte* code = ctx.LoadQueryCode(st.Dimension, ScalarCodes.Stride(st.Dimension), out var terms);
        int rerank = k * (rerankFactor ?? st.Options.RerankFactor);
        return codes.Kind switch
        {
            VectorQuantization.Int4 => SearchLowBit<Int4Kernel>(st, q, codes, code, terms, k, ef, rerank, filter, ctx, cancellationToken),
            VectorQuantization.Binary => SearchLowBit<BinaryKernel>(st, q, codes, ctx.LoadQueryPlanes(st.Dimension, codes.Stride), terms, k, ef, rerank, filter, ctx, cancellationToken),
            _ => st.Options.Metric switch
            {
                DistanceMetric.Cosine => Hnsw<CosineDistance>.SearchQuantized(st, q, new CodedWalk<CosineDistance>(codes, code, terms), k, ef, rerank, filter, ctx, cancellationToken),
                DistanceMetric.Euclidean => Hnsw<SquaredL2Distance>.SearchQuantized(st, q, new CodedWalk<SquaredL2Distance>(codes, code, terms), k, ef, rerank, filter, ctx, cancellationToken),
                DistanceMetric.DotProduct => Hnsw<NegativeDotDistance>.SearchQuantized(st, q, new CodedWalk<NegativeDotDistance>(codes, code, terms), k, ef, rerank, filter, ctx, cancellationToken),
                _ => throw Unquantizable(st),
            },
        };
    }

    private static int SearchLowBit<TKernel>(
        IndexState st, float* q, CodeArena codes, byte* query, CodeTerms terms, int k, int ef, int rerank, in SlotFilter filter, SearchContext ctx, CancellationToken cancellationToken)
        where TKernel : struct, ILowBitKernel => st.Options.Metric switch
        {
            DistanceMetric.Cosine => Hnsw<CosineDistance>.SearchQuantized(st, q, new LowBitWalk<CosineDistance, TKernel>(codes, query, terms), k, ef, rerank, filter, ctx, cancellationToken),
            DistanceMetric.Euclidean => Hnsw<SquaredL2Distance>.SearchQuantized(st, q, new LowBitWalk<SquaredL2Distance, TKernel>(codes, query, terms), k, ef, rerank, filter, ctx, cancellationToken),
            DistanceMetric.DotProduct => Hnsw<NegativeDotDistance>.SearchQuantized(st, q, new LowBitWalk<NegativeDotDistance, TKernel>(codes, query, terms), k, ef, rerank, filter, ctx, cancellationToken),
            _ => throw Unquantizable(st),
        };

    private static UnreachableException Unquantizable(IndexState st) =>
        new($"Quantization is refused for {st.Options.Metric} when the index is created.");
}
