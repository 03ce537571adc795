using Microsoft.Extensions.AI;

namespace Theodore.Adapters.Embeddings.Tests;

/// <summary>Where and how many batches run: off the caller's thread, never more than the configured concurrency.</summary>
public sealed class LocalEmbeddingSchedulingTests
{
    [Fact]
    public async Task GenerateAsync_many_callers_never_run_more_batches_at_once_than_MaxConcurrency()
    {
        using var encoder = new RecordingEncoder { OverlapToWaitFor = 2 };
        using var generator = new LocalEmbeddingGenerator(encoder, LocalModel.MiniLm, new LocalEmbeddingOptions { BatchSize = 1, MaxConcurrency = 2 });
        var texts = Enumerable.Range(0, 24).Select(i => $"A logistics company with {i} warehouses.").ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => generator.GenerateAsync(texts)));

        Assert.All(results, r => Assert.Equal(texts.Length, r.Count));
        Assert.Equal(4 * texts.Length, encoder.Calls);
        Assert.Equal(2, encoder.MaxRunning);
    }

    [Fact]
    public void GenerateAsync_runs_the_model_on_pool_threads_not_the_callers()
    {
        using var encoder = new RecordingEncoder();
        using var generator = new LocalEmbeddingGenerator(encoder, LocalModel.MiniLm, new LocalEmbeddingOptions { BatchSize = 2, MaxConcurrency = 1 });
        var callerThreadId = 0;
        var caller = new Thread(() =>
        {
            callerThreadId = Environment.CurrentManagedThreadId;
            generator.GenerateAsync(CompanyTexts.Sample).GetAwaiter().GetResult();
        });

        caller.Start();
        caller.Join();

        Assert.NotEmpty(encoder.Threads);
        Assert.All(encoder.Threads, t =>
        {
            Assert.NotEqual(callerThreadId, t.ThreadId);
            Assert.True(t.IsPoolThread);
        });
    }

    [Fact]
    public async Task Constructor_with_an_encoder_splits_the_texts_into_batches_of_BatchSize()
    {
        using var encoder = new RecordingEncoder();
        using var generator = new LocalEmbeddingGenerator(encoder, LocalModel.MiniLm, new LocalEmbeddingOptions { BatchSize = 5, MaxConcurrency = 2 });

        await generator.GenerateAsync(CompanyTexts.Sample);

        Assert.Equal((CompanyTexts.Sample.Length + 4) / 5, encoder.Calls);
    }
}
