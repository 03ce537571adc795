using System.Buffers;
using System.Diagnostics;
using Theodore.Cli.Client;

namespace Theodore.Cli.Import;

/// <summary>
/// Sends a file's companies to <c>POST /v1/companies/import</c> in chunks of <c>batchSize</c> (NDJSON), reading the
/// file as it goes, and adds up the per-item answers. A chunk also ends early past <see cref="MaxChunkBytes"/> so a file
/// of large companies stays under the API's body limit. Every item sent gets a result: one the server did not answer
/// is counted as failed, never dropped.
/// </summary>
internal sealed class ImportRunner(TheodoreClient client, int batchSize)
{
    public const int KeptFailures = 1000;
    public const int MaxChunkBytes = 8 * 1024 * 1024;

    public async Task<ImportOutcome> RunAsync(ImportSource source, long total, Action<ImportProgress>? onProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var clock = Stopwatch.StartNew();
        var progress = new ImportProgress(0, total, 0, 0, 0, 0);
        var failures = new List<ImportFailure>();
        var body = new ArrayBufferWriter<byte>(64 * 1024);
        var numbers = new List<long>(batchSize);
        onProgress?.Invoke(progress);
        try
        {
            foreach (var item in source.Items())
            {
                body.Write(item.Json);
                body.Write("\n"u8);
                numbers.Add(item.Number);
                if (numbers.Count >= batchSize || body.WrittenCount >= MaxChunkBytes)
                {
                    progress = await SendAsync(body, numbers, progress, failures, ct).ConfigureAwait(false);
                    onProgress?.Invoke(progress);
                }
            }

            if (numbers.Count > 0)
            {
                progress = await SendAsync(body, numbers, progress, failures, ct).ConfigureAwait(false);
                onProgress?.Invoke(progress);
            }
        }
        catch (ImportStoppedException e)
        {
            onProgress?.Invoke(e.Progress);
            return new ImportOutcome(e.Progress, failures, clock.Elapsed, e);
        }
        catch (Exception e) when (e is TheodoreApiException or TheodoreUnreachableException)
        {
            return new ImportOutcome(progress, failures, clock.Elapsed, e);
        }

        return new ImportOutcome(progress, failures, clock.Elapsed, null);
    }

    private async Task<ImportProgress> SendAsync(
        ArrayBufferWriter<byte> body, List<long> numbers, ImportProgress progress, List<ImportFailure> failures, CancellationToken ct)
    {
        var response = (await client.ImportAsync(body.WrittenMemory, ct).ConfigureAwait(false)).Value;
        var answered = new bool[numbers.Count];
        var (created, updated, unchanged, failed) = (0L, 0L, 0L, 0L);
        foreach (var result in response.Results)
        {
            if (result.Index < 0 || result.Index >= numbers.Count || answered[result.Index])
            {
                continue;
            }

            answered[result.Index] = true;
            switch (result.Status)
            {
                case "created": created++; break;
                case "updated": updated++; break;
                case "unchanged": unchanged++; break;
                default:
                    failed++;
                    Keep(new ImportFailure(numbers[result.Index], result.Id, result.Errors ?? [new ImportItemError(null, result.Status, "failed without a reason")]));
                    break;
            }
        }

        var unanswered = response.Error ?? new ImportItemError(null, "no_result", "the server sent no result for this item");
        for (var i = 0; i < answered.Length; i++)
        {
            if (!answered[i])
            {
                failed++;
                Keep(new ImportFailure(numbers[i], null, [unanswered]));
            }
        }

        var done = progress.Done + numbers.Count;
        body.Clear();
        numbers.Clear();
        var next = progress with
        {
            Done = done,
            Total = Math.Max(progress.Total, done),
            Created = progress.Created + created,
            Updated = progress.Updated + updated,
            Unchanged = progress.Unchanged + unchanged,
            Failed = progress.Failed + failed,
        };

        // The storage failed in the middle of this chunk: the next chunks would meet the same failure.
        return response.Error is { } error
            ? throw new ImportStoppedException(next, $"the server failed during the import: {error.Message} ({error.Code})")
            : next;

        void Keep(ImportFailure failure)
        {
            if (failures.Count < KeptFailures)
            {
                failures.Add(failure);
            }
        }
    }
}
