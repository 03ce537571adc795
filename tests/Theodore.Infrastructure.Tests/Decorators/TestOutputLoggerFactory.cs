using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Theodore.Infrastructure.Tests.Decorators;

/// <summary>
/// Writes every log entry (level, category, message, exception) to the test's output, which the runner prints when
/// the test fails: a Redis call that failed or timed out shows up there with its reason. Keeps the entries too.
/// </summary>
internal sealed class TestOutputLoggerFactory(ITestOutputHelper output) : ILoggerFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Write(string line) => output.WriteLine(line);

    private sealed class Logger(string category, TestOutputLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Entries.Enqueue((category, logLevel, exception));
            try
            {
                owner.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}");
            }
            catch (InvalidOperationException)
            {
                // the test has ended; a background write that logs afterwards has nowhere to go
            }
        }
    }
}
