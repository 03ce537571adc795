using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;
using Theodore.Core.Errors;

namespace Theodore.Application.Behaviors;

/// <summary>
/// The outermost behavior: logs each use case's name, duration and outcome (succeeded, rejected, failed, cancelled,
/// crashed). It sees the request's type only, so vectors, metadata and keys never reach a log.
/// </summary>
public sealed class LoggingBehavior<TRequest, TResponse>(ILoggerFactory loggerFactory) : IPipelineBehavior<TRequest, TResponse>
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(ApplicationLog.Category);

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var useCase = typeof(TRequest).Name;
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await next().ConfigureAwait(false);
            var elapsed = Elapsed(start);
            ApplicationLog.Handled(_logger, useCase, elapsed);
            return response;
        }
        catch (InvalidRequestException ex)
        {
            var elapsed = Elapsed(start);
            ApplicationLog.Rejected(_logger, useCase, elapsed, ex.Code, ex.Errors.Count);
            throw;
        }
        catch (VectorStorageException ex)
        {
            var elapsed = Elapsed(start);
            ApplicationLog.Failed(_logger, useCase, elapsed, ex.Code, ex.IsTransient, ex);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var elapsed = Elapsed(start);
            ApplicationLog.Cancelled(_logger, useCase, elapsed);
            throw;
        }
        catch (Exception ex)
        {
            var elapsed = Elapsed(start);
            ApplicationLog.Crashed(_logger, useCase, elapsed, ex);
            throw;
        }
    }

    private static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
