using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Theodore.Adapters.Embeddings.Tests.Remote;

/// <summary>A fact that calls the real OpenAI only when <c>THEODORE_OPENAI_API_KEY</c> is set, and says so when skipped.</summary>
public sealed class LiveOpenAIFactAttribute : FactAttribute
{
    public const string ApiKeyVariable = "THEODORE_OPENAI_API_KEY";

    public LiveOpenAIFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)))
        {
            Skip = $"Set {ApiKeyVariable} (optionally THEODORE_OPENAI_BASE_URL and THEODORE_OPENAI_MODEL) to run against the real OpenAI-compatible endpoint.";
        }
    }
}

/// <summary>A fact that calls the real Cohere only when <c>THEODORE_COHERE_API_KEY</c> is set, and says so when skipped.</summary>
public sealed class LiveCohereFactAttribute : FactAttribute
{
    public const string ApiKeyVariable = "THEODORE_COHERE_API_KEY";

    public LiveCohereFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)))
        {
            Skip = $"Set {ApiKeyVariable} (optionally THEODORE_COHERE_MODEL) to run against the real Cohere.";
        }
    }
}

/// <summary>The generators against the real providers: the declared size, unit length where promised, and sense.</summary>
public sealed class LiveProviderTests
{
    private static readonly string[] Triple = CompanyTexts.QueryPeerUnrelated.First().Select(o => (string)o).ToArray();

    [LiveOpenAIFact]
    public async Task OpenAI_embeds_of_the_declared_size_unit_length_and_ranks_the_peer_first()
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "OpenAI",
            ["Embeddings:OpenAI:ApiKey"] = Environment.GetEnvironmentVariable(LiveOpenAIFactAttribute.ApiKeyVariable),
        };
        if (Environment.GetEnvironmentVariable("THEODORE_OPENAI_BASE_URL") is { Length: > 0 } baseUrl)
        {
            settings["Embeddings:OpenAI:BaseUrl"] = baseUrl;
        }

        if (Environment.GetEnvironmentVariable("THEODORE_OPENAI_MODEL") is { Length: > 0 } model)
        {
            settings["Embeddings:OpenAI:Model"] = model;
        }

        using var host = RemoteHost.Create(settings);
        await AssertSensibleAsync(host.Generator);
    }

    [LiveCohereFact]
    public async Task Cohere_embeds_of_the_declared_size_and_ranks_the_peer_first_with_query_and_document_types()
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "Cohere",
            ["Embeddings:Cohere:ApiKey"] = Environment.GetEnvironmentVariable(LiveCohereFactAttribute.ApiKeyVariable),
        };
        if (Environment.GetEnvironmentVariable("THEODORE_COHERE_MODEL") is { Length: > 0 } model)
        {
            settings["Embeddings:Cohere:Model"] = model;
        }

        using var host = RemoteHost.Create(settings);
        await AssertSensibleAsync(host.Generator);
    }

    private static async Task AssertSensibleAsync(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        var dimension = generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions;
        var normalized = generator.GetService(typeof(bool), LocalEmbeddingConstants.NormalizedServiceKey) is true;

        var query = await generator.GenerateAsync([Triple[0]], EmbeddingInputTypes.ForQueries());
        var documents = await generator.GenerateAsync([Triple[1], Triple[2]]);

        Assert.All(query.Concat(documents), e =>
        {
            Assert.Equal(dimension, e.Vector.Length);
            if (normalized)
            {
                Assert.InRange(TensorPrimitives.Norm(e.Vector.Span), 0.999f, 1.001f);
            }
        });
        Assert.True(Vectors.Cosine(query[0].Vector, documents[0].Vector) > Vectors.Cosine(query[0].Vector, documents[1].Vector), "the peer must score above the unrelated company");
    }
}
