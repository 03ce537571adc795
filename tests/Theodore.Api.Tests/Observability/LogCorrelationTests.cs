using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Theodore.Core.Errors;

namespace Theodore.Api.Tests.Observability;

public sealed class LogCorrelationTests
{
    [Fact]
    public async Task Log_written_during_a_request_carries_the_trace_id_the_problem_reports()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = new TheodoreApiFactory([new("VectorStorage:Mock:ErrorRate", "1")])
            .WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/v1/indexes", UriKind.Relative));
        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ErrorCodes.StorageUnavailable);
        var traceparent = problem.GetProperty("traceId").GetString()!;

        var failure = Assert.Single(logs.Entries, e => e.Message.StartsWith("Storage error storage_unavailable", StringComparison.Ordinal));
        Assert.True(failure.Scope.TryGetValue("TraceId", out var traceId), "the log record has no TraceId in its scope");
        Assert.Contains(traceId!, traceparent, StringComparison.Ordinal);
        Assert.True(failure.Scope.ContainsKey("SpanId"));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private readonly List<(string Message, Dictionary<string, string> Scope)> _entries = [];
        private IExternalScopeProvider? _scopes;

        public IReadOnlyList<(string Message, Dictionary<string, string> Scope)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, string>(StringComparer.Ordinal);
                owner._scopes?.ForEachScope(
                    static (item, values) =>
                    {
                        if (item is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            foreach (var (key, value) in pairs)
                            {
                                values[key] = value?.ToString() ?? string.Empty;
                            }
                        }
                    },
                    scope);
                lock (owner._entries)
                {
                    owner._entries.Add((formatter(state, exception), scope));
                }
            }
        }
    }
}
