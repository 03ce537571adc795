using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Theodore.Adapters.Embeddings.Tests.Remote;

/// <summary>The Cohere generator against a loopback fake of <c>POST /v2/embed</c>.</summary>
public sealed class CohereGeneratorTests : IAsyncLifetime
{
    private FakeEmbeddingServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeEmbeddingServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task GenerateAsync_posts_the_documented_body_with_the_bearer_key()
    {
        using var host = RemoteHost.Cohere(_fake);

        var embeddings = await host.Generator.GenerateAsync(CompanyTexts.Sample);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/v2/embed", request.Path);
        Assert.Equal("Bearer " + _fake.ApiKey, request.Authorization);
        Assert.Equal(["embedding_types", "input_type", "model", "texts"], request.Body.Select(p => p.Key).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal("embed-v4.0", request.Body["model"]!.GetValue<string>());
        Assert.Equal(CompanyTexts.Sample, request.Body["texts"]!.AsArray().Select(n => n!.GetValue<string>()), StringComparer.Ordinal);
        Assert.Equal("search_document", request.Body["input_type"]!.GetValue<string>());
        Assert.Equal(["float"], request.Body["embedding_types"]!.AsArray().Select(n => n!.GetValue<string>()), StringComparer.Ordinal);
        Assert.Empty(_fake.Violations);
        for (var i = 0; i < CompanyTexts.Sample.Length; i++)
        {
            Assert.Equal(FakeEmbeddingServer.VectorFor(CompanyTexts.Sample[i], 1536), embeddings[i].Vector.ToArray());
        }
    }

    [Fact]
    public async Task GenerateAsync_more_than_96_texts_are_split_into_requests_of_96_and_the_order_is_kept()
    {
        _fake.Delay = TimeSpan.FromMilliseconds(30);
        using var host = RemoteHost.Cohere(_fake);
        var texts = Enumerable.Range(0, 200).Select(i => $"Company {i} builds warehouse robots in region {i % 7}.").ToArray();

        var embeddings = await host.Generator.GenerateAsync(texts);

        Assert.Equal([96, 96, 8], _fake.Requests.Select(r => r.Body["texts"]!.AsArray().Count).Order().Reverse());
        Assert.Equal(texts.Length, embeddings.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(FakeEmbeddingServer.VectorFor(texts[i], 1536), embeddings[i].Vector.ToArray());
        }
    }

    [Theory]
    [InlineData(null, "search_document")]
    [InlineData("document", "search_document")]
    [InlineData("query", "search_query")]
    [InlineData("QUERY", "search_query")]
    public async Task GenerateAsync_maps_the_input_type(string? inputType, string expected)
    {
        using var host = RemoteHost.Cohere(_fake);
        var options = inputType is null ? null : new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingInputTypes.OptionKey] = inputType } };

        await host.Generator.GenerateAsync(["A craft brewery."], options);

        Assert.Equal(expected, Assert.Single(_fake.Requests).Body["input_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerateAsync_with_Dimensions_sends_output_dimension_to_embed_v4()
    {
        using var host = RemoteHost.Cohere(_fake, new(StringComparer.Ordinal) { ["Embeddings:Cohere:Dimensions"] = "512" });

        var embeddings = await host.Generator.GenerateAsync(["x"]);

        Assert.Equal(512, Assert.Single(_fake.Requests).Body["output_dimension"]!.GetValue<int>());
        Assert.Equal(512, embeddings[0].Vector.Length);
        Assert.Equal(512, host.Generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Theory]
    [InlineData("embed-english-v3.0", 1024)]
    [InlineData("embed-multilingual-v3.0", 1024)]
    [InlineData("embed-english-light-v3.0", 384)]
    [InlineData("embed-multilingual-light-v3.0", 384)]
    public async Task A_v3_model_has_its_own_size_and_gets_no_output_dimension(string model, int dimension)
    {
        using var host = RemoteHost.Cohere(_fake, new(StringComparer.Ordinal) { ["Embeddings:Cohere:Model"] = model });

        var embeddings = await host.Generator.GenerateAsync(["x"]);

        Assert.False(Assert.Single(_fake.Requests).Body.ContainsKey("output_dimension"));
        Assert.Equal(dimension, embeddings[0].Vector.Length);
        Assert.Equal(dimension, host.Generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Fact]
    public async Task GenerateAsync_after_429_with_Retry_After_waits_that_long_then_succeeds()
    {
        _fake.Fail(new FakeFault(429, RetryAfter: "1"));
        using var host = RemoteHost.Cohere(_fake);
        var started = Stopwatch.StartNew();

        var embeddings = await host.Generator.GenerateAsync(["x"]);

        Assert.Single(embeddings);
        Assert.Equal([429, 200], _fake.Requests.Select(r => r.Status));
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(400, "Bad")]
    [InlineData(403, "Forbidden")]
    [InlineData(404, "Not")]
    [InlineData(422, "Unprocessable")]
    public async Task GenerateAsync_client_errors_are_not_retried_and_name_Cohere_and_the_status(int status, string reason)
    {
        _fake.Fail(new FakeFault(status, Body: "{\"id\":\"e1\",\"message\":\"model 'embed-v9' not found\"}"));
        using var host = RemoteHost.Cohere(_fake);

        var error = await Assert.ThrowsAsync<EmbeddingProviderException>(() => host.Generator.GenerateAsync(["x"]));

        Assert.Single(_fake.Requests);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("cohere", error.Provider);
        Assert.False(error.IsTransient);
        Assert.StartsWith($"Cohere answered {status} {reason}", error.Message, StringComparison.Ordinal);
        Assert.Contains("model 'embed-v9' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_401_is_not_retried_and_the_key_appears_in_no_message_and_no_log()
    {
        const string wrongKey = "co-wrong-8a2e6f0b13";
        using var host = RemoteHost.Cohere(_fake, new(StringComparer.Ordinal) { ["Embeddings:Cohere:ApiKey"] = wrongKey });

        var error = await Assert.ThrowsAsync<EmbeddingProviderException>(() => host.Generator.GenerateAsync(["x"]));

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(401, request.Status);
        Assert.Equal("Bearer " + wrongKey, request.Authorization);
        Assert.Equal(401, error.StatusCode);
        Assert.StartsWith("Cohere answered 401 Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid api token ***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.NotEmpty(host.Logs.Lines);
        Assert.All(host.Logs.Lines, line => Assert.DoesNotContain(wrongKey, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GenerateAsync_cancelled_mid_request_throws_OperationCanceled_promptly()
    {
        _fake.Delay = TimeSpan.FromSeconds(10);
        using var host = RemoteHost.Cohere(_fake);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Generator.GenerateAsync(["x"], cancellationToken: cts.Token));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void Metadata_names_cohere_the_model_and_1536_and_promises_no_unit_length()
    {
        using var host = RemoteHost.Cohere(_fake);

        var metadata = host.Generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal("cohere", metadata.ProviderName);
        Assert.Equal("embed-v4.0", metadata.DefaultModelId);
        Assert.Equal(1536, metadata.DefaultModelDimensions);
        Assert.Equal("embed-v4.0", host.Generator.GetService(typeof(string), LocalEmbeddingConstants.ModelVersionServiceKey));
        Assert.Equal(false, host.Generator.GetService(typeof(bool), LocalEmbeddingConstants.NormalizedServiceKey));
    }
}
