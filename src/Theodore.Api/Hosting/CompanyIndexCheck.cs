using Theodore.Application.Companies;
using Theodore.Core.Errors;

namespace Theodore.Api.Hosting;

/// <summary>
/// Before the server accepts requests: when a companies index exists, the configured embedding generator must be the
/// one that made it, or the API does not start, saying what to do. Runs after the storage is open. Any other failure
/// (a remote storage still starting, a health-only test double) does not stop the start: the check is about the
/// contract, and the first companies request checks again.
/// </summary>
internal sealed partial class CompanyIndexCheck(CompanyIndex companies, ILogger<CompanyIndexCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await companies.CheckAtStartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EmbeddingContractViolationException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDeferred(logger, ex, companies.Name.Value);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Could not check the companies index {Index} at start; the first companies request will")]
    private static partial void LogDeferred(ILogger logger, Exception exception, string index);
}
