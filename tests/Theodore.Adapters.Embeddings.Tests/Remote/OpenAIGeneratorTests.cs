using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Theodore.Adapters.Embeddings.Tests.Remote;

/// <summary>The OpenAI-compatible generator against a loopback fake of <c>POST /v1/embeddings</c>.</summary>
public sealed class OpenAIGeneratorTests : IAsyncLifetime
{
    private FakeEmbeddingServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeEmbeddingServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task GenerateAsync_posts_model_and_input_array_with_the_bearer_key_and_returns_the_vectors_in_order()
    {
        using var host = RemoteHost.OpenAI(_fake);

        var embeddings = await host.Generator.GenerateAsync(CompanyTexts.Sample);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/v1/embeddings", request.Path);
        Assert.Equal("Bearer " + _fake.ApiKey, request.Authorization);
        Assert.Equal("text-embedding-3-small", request.Body["model"]!.GetValue<string>());
        Assert.Equal(CompanyTexts.Sample, request.Body["input"]!.AsArray().Select(n => n!.GetValue<string>()), StringComparer.Ordinal);
        Assert.Contains(request.Body["encoding_format"]!.GetValue<string>(), (string[])["float", "base64"], StringComparer.Ordinal);
        Assert.False(request.Body.ContainsKey("dimensions"), "no dimensions unless a size is configured");
        Assert.Empty(_fake.Violations);
        for (var i = 0; i < CompanyTexts.Sample.Length; i++)
        {
            Assert.Equal(FakeEmbeddingServer.VectorFor(CompanyTexts.Sample[i], 1536), embeddings[i].Vector.ToArray());
            Assert.Equal("text-embedding-3-small", embeddings[i].ModelId);
        }
    }

    [Fact]
    public async Task GenerateAsync_with_Dimensions_sends_them_and_declares_them()
    {
        using var host = RemoteHost.OpenAI(_fake, new(StringComparer.Ordinal) { ["Embeddings:OpenAI:Dimensions"] = "256" });

        var embeddings = await host.Generator.GenerateAsync(["A craft brewery."]);

        Assert.Equal(256, Assert.Single(_fake.Requests).Body["dimensions"]!.GetValue<int>());
        Assert.Equal(256, embeddings[0].Vector.Length);
        Assert.Equal(256, host.Generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Fact]
    public async Task GenerateAsync_splits_into_BatchSize_requests_in_parallel_and_keeps_the_order()
    {
        _fake.Delay = TimeSpan.FromMilliseconds(50);
        using var host = RemoteHost.OpenAI(_fake, new(StringComparer.Ordinal) { ["Embeddings:OpenAI:BatchSize"] = "3", ["Embeddings:OpenAI:MaxConcurrency"] = "3" });
        var texts = Enumerable.Range(0, 10).Select(i => $"Company {i} makes sensors.").ToArray();

        var embeddings = await host.Generator.GenerateAsync(texts);

        Assert.Equal([3, 3, 3, 1], _fake.Requests.Select(r => r.Body["input"]!.AsArray().Count).Order().Reverse());
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(FakeEmbeddingServer.VectorFor(texts[i], 1536), embeddings[i].Vector.ToArray());
        }
    }

    [Fact]
    public async Task GenerateAsync_after_429_with_Retry_After_waits_that_long_then_succeeds()
    {
        _fake.Fail(new FakeFault(429, RetryAfter: "1"));
        using var host = RemoteHost.OpenAI(_fake);
        var started = Stopwatch.StartNew();

        var embeddings = await host.Generator.GenerateAsync(["A craft brewery."]);

        // The retry policy waits 20 s on its own (RemoteHost); about 1 s means the header decided.
        Assert.Single(embeddings);
        Assert.Equal([429, 200], _fake.Requests.Select(r => r.Status));
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(10));
        var gap = _fake.Requests[1].At - _fake.Requests[0].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"retried after {gap.TotalMilliseconds:0} ms");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task GenerateAsync_client_errors_are_not_retried_and_name_the_provider_and_status(int status)
    {
        _fake.Fail(new FakeFault(status, Body: "{\"error\":{\"message\":\"something is wrong with the request\"}}"));
        using var host = RemoteHost.OpenAI(_fake);

        var error = await Assert.ThrowsAsync<EmbeddingProviderException>(() => host.Generator.GenerateAsync(["x"]));

        Assert.Single(_fake.Requests);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("openai", error.Provider);
        Assert.False(error.IsTransient);
        Assert.Contains($"answered {status}", error.Message, StringComparison.Ordinal);
        Assert.Contains("OpenAI-compatible endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("something is wrong with the request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_401_is_not_retried_and_the_key_appears_in_no_message_and_no_log()
    {
        const string wrongKey = "sk-wrong-4f1b7d2c9e";
        using var host = RemoteHost.OpenAI(_fake, new(StringComparer.Ordinal) { ["Embeddings:OpenAI:ApiKey"] = wrongKey });

        var error = await Assert.ThrowsAsync<EmbeddingProviderException>(() => host.Generator.GenerateAsync(["x"]));

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(401, request.Status);
        Assert.Contains(wrongKey, request.Authorization, StringComparison.Ordinal);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("401 Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check the API key", error.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided: ***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.NotEmpty(host.Logs.Lines);
        Assert.All(host.Logs.Lines, line => Assert.DoesNotContain(wrongKey, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GenerateAsync_5xx_is_retried_then_surfaces_as_transient()
    {
        _fake.Fail(new FakeFault(503, RetryAfter: "1"), new FakeFault(503, RetryAfter: "1"));
        using var host = RemoteHost.OpenAI(_fake, new(StringComparer.Ordinal) { ["Embeddings:Resilience:Retry:MaxRetryAttempts"] = "1" });

        var error = await Assert.ThrowsAsync<EmbeddingProviderException>(() => host.Generator.GenerateAsync(["x"]));

        Assert.Equal([503, 503], _fake.Requests.Select(r => r.Status));
        Assert.True(error.IsTransient);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [Fact]
    public async Task GenerateAsync_cancelled_mid_request_throws_OperationCanceled_promptly()
    {
        _fake.Delay = TimeSpan.FromSeconds(10);
        using var host = RemoteHost.OpenAI(_fake);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Generator.GenerateAsync(["x"], cancellationToken: cts.Token));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task GenerateAsync_an_unreachable_endpoint_is_a_transient_error_naming_it()
    {
        var port = _fake.Root.Port;
        await _fake.DisposeAsync();
        using var host = RemoteHost.Create(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "OpenAI",
            ["Embeddings:OpenAI:BaseUrl"] = $"http://127.0.0.1:{port}/v1",
            ["Embeddings:Resilience:Retry:MaxRetryAttempts"] = "1",
            ["Embeddings:Resilience:Retry:Delay"] = "00:00:00.010",
        });

        var error = await Assert.ThrowsAsync<EmbeddingProviderException>(() => host.Generator.GenerateAsync(["x"]));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
        _fake = await FakeEmbeddingServer.StartAsync();
    }

    [Fact]
    public async Task Metadata_names_openai_the_model_and_its_dimension_and_promises_unit_length()
    {
        using var host = RemoteHost.OpenAI(_fake, new(StringComparer.Ordinal) { ["Embeddings:OpenAI:Model"] = "text-embedding-3-large" });

        var metadata = host.Generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal("openai", metadata.ProviderName);
        Assert.Equal("text-embedding-3-large", metadata.DefaultModelId);
        Assert.Equal(3072, metadata.DefaultModelDimensions);
        Assert.Equal("text-embedding-3-large", host.Generator.GetService(typeof(string), LocalEmbeddingConstants.ModelVersionServiceKey));
        Assert.Equal(true, host.Generator.GetService(typeof(bool), LocalEmbeddingConstants.NormalizedServiceKey));
        Assert.Equal(3072, (await host.Generator.GenerateAsync(["x"]))[0].Vector.Length);
    }

    [Fact]
    public async Task A_loopback_server_without_key_serves_any_model_of_the_configured_size_and_promises_nothing()
    {
        _fake.RequireKey = false;
        using var host = RemoteHost.Create(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "openai",
            ["Embeddings:OpenAI:BaseUrl"] = new Uri(_fake.Root, "v1").ToString(),
            ["Embeddings:OpenAI:Model"] = "nomic-embed-text",
            ["Embeddings:OpenAI:Dimensions"] = "768",
        });

        var embeddings = await host.Generator.GenerateAsync(["A craft brewery."], EmbeddingInputTypes.ForQueries());

        var request = Assert.Single(_fake.Requests);
        Assert.False(request.Body.ContainsKey("dimensions"), "a model this adapter does not know gets no dimensions parameter");
        Assert.Equal(FakeEmbeddingServer.VectorFor("A craft brewery.", 768), embeddings[0].Vector.ToArray());
        Assert.Equal(false, host.Generator.GetService(typeof(bool), LocalEmbeddingConstants.NormalizedServiceKey));
    }

    [Fact]
    public async Task GenerateAsync_a_vector_of_another_size_than_declared_fails_saying_what_to_set()
    {
        _fake.RequireKey = false;
        using var host = RemoteHost.Create(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "OpenAI",
            ["Embeddings:OpenAI:BaseUrl"] = new Uri(_fake.Root, "v1").ToString(),
            ["Embeddings:OpenAI:Model"] = "nomic-embed-text",
            ["Embeddings:OpenAI:Dimensions"] = "1024",
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Generator.GenerateAsync(["x"]));

        Assert.Contains("768-d", error.Message, StringComparison.Ordinal);
        Assert.Contains("Embeddings:OpenAI:Dimensions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_refuses_another_size_or_model_and_a_misspelt_input_type()
    {
        using var host = RemoteHost.OpenAI(_fake);

        await Assert.ThrowsAsync<NotSupportedException>(() => host.Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 256 }));
        await Assert.ThrowsAsync<NotSupportedException>(() => host.Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-large" }));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingInputTypes.OptionKey] = "passage" } }));
        Assert.Contains("passage", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Requests);
        Assert.Empty(await host.Generator.GenerateAsync([]));
    }
}
