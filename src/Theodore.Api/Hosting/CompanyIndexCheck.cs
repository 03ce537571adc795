using Theodore.Application.Companies;
using Theodore.Core.Errors;

namespace Theodore.Api.Hosting;

/// <summary>
/// Before the server accepts requests: when a companies index exists, the configured embedding generator must be the
/// one that made it, or the API does not start, saying what to do. Runs after the storage is open. A storage that
/// cannot answer now (a remote one still starting) does not stop the start: the first companies request checks again.
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
        catch (VectorStorageException ex) when (ex.IsTransient)
        {
            LogDeferred(logger, ex, companies.Name.Value);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Could not check the companies index {Index} at start; the first companies request will")]
    private static partial void LogDeferred(ILogger logger, Exception exception, string index);
}
