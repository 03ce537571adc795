using Microsoft.Extensions.Logging;

namespace Theodore.Application.Behaviors;

/// <summary>Use-case log events, EventIds 1000-1099. Only names, durations and codes: never vectors, metadata or secrets.</summary>
internal static partial class ApplicationLog
{
    public const string Category = "Theodore.Application";

    // Debug: a line per successful request costs a measurable share of a search served in a fraction of a millisecond
    [LoggerMessage(EventId = 1000, EventName = "UseCaseHandled", Level = LogLevel.Debug,
        Message = "{UseCase} succeeded in {ElapsedMs:0.###} ms")]
    public static partial void Handled(ILogger logger, string useCase, double elapsedMs);

    [LoggerMessage(EventId = 1001, EventName = "UseCaseRejected", Level = LogLevel.Information,
        Message = "{UseCase} rejected in {ElapsedMs:0.###} ms: {Code} with {ErrorCount} error(s)")]
    public static partial void Rejected(ILogger logger, string useCase, double elapsedMs, string code, int errorCount);

    [LoggerMessage(EventId = 1002, EventName = "UseCaseFailed", Level = LogLevel.Warning,
        Message = "{UseCase} failed in {ElapsedMs:0.###} ms: {Code} (transient: {IsTransient})")]
    public static partial void Failed(ILogger logger, string useCase, double elapsedMs, string code, bool isTransient, Exception exception);

    [LoggerMessage(EventId = 1003, EventName = "UseCaseCancelled", Level = LogLevel.Information,
        Message = "{UseCase} cancelled after {ElapsedMs:0.###} ms")]
    public static partial void Cancelled(ILogger logger, string useCase, double elapsedMs);

    [LoggerMessage(EventId = 1004, EventName = "UseCaseCrashed", Level = LogLevel.Error,
        Message = "{UseCase} crashed after {ElapsedMs:0.###} ms")]
    public static partial void Crashed(ILogger logger, string useCase, double elapsedMs, Exception exception);
}
