using Theodore.Conformance;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Qdrant.Tests.Live;

/// <summary>The suite against the real Qdrant at THEODORE_QDRANT_URL (compiled only when it is set).</summary>
public sealed class LiveConformanceCursorListingTests : CursorListingConformance
{
    protected override IVectorStorage CreateStorage() => LiveQdrant.Storage();
}
