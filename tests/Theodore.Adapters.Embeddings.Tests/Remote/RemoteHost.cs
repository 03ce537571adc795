using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Theodore.Adapters.Embeddings.Tests.Remote;

/// <summary>
/// The embeddings wired as the API wires them (configuration, DI, IHttpClientFactory, the standard resilience handler),
/// with every log line kept down to Trace. Retries wait a constant 20 s unless the answer says <c>Retry-After</c>, so a
/// test that finishes in a second proves the header was honoured.
/// </summary>
internal sealed class RemoteHost : IDisposable
{
    private readonly ServiceProvider _services;

    private RemoteHost(ServiceProvider services, LogCapture logs)
    {
        _services = services;
        Logs = logs;
    }

    public LogCapture Logs { get; }

    public IEmbeddingGenerator<string, Embedding<float>> Generator => _services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

    public EmbeddingGeneratorFactory Factory => _services.GetRequiredService<EmbeddingGeneratorFactory>();

    public IServiceProvider Services => _services;

    public static RemoteHost OpenAI(FakeEmbeddingServer fake, Dictionary<string, string?>? extra = null) =>
        Create(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "OpenAI",
            ["Embeddings:OpenAI:BaseUrl"] = new Uri(fake.Root, "v1").ToString(),
            ["Embeddings:OpenAI:ApiKey"] = fake.ApiKey,
        }, extra);

    public static RemoteHost Cohere(FakeEmbeddingServer fake, Dictionary<string, string?>? extra = null) =>
        Create(new(StringComparer.Ordinal)
        {
            ["Embeddings:Provider"] = "Cohere",
            ["Embeddings:Cohere:BaseUrl"] = fake.Root.ToString(),
            ["Embeddings:Cohere:ApiKey"] = fake.ApiKey,
        }, extra);

    public static RemoteHost Create(Dictionary<string, string?> settings, Dictionary<string, string?>? extra = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Embeddings:Local:WarmUp"] = "false",
            ["Embeddings:Resilience:Retry:Delay"] = "00:00:20",
            ["Embeddings:Resilience:Retry:BackoffType"] = "Constant",
            ["Embeddings:Resilience:Retry:UseJitter"] = "false",
        };
        foreach (var (key, value) in settings.Concat(extra ?? []))
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddTheodoreEmbeddings(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new RemoteHost(services, logs);
    }

    public void Dispose() => _services.Dispose();
}

/// <summary>Every log line of every category, formatted, with its exception.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
