using System.Diagnostics;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;
using Theodore.Core.Errors;

namespace Theodore.Application.Companies;

/// <summary>One item of an import as read: the company, or why it could not be read (its JSON was broken).</summary>
public sealed record CompanyImportItem(int Index, CompanyInput? Company, string? ReadError = null);

/// <summary>One item's result, reported as soon as its batch is written.</summary>
public sealed record CompanyImportResult(int Index, string? Id, CompanyWriteStatus Status, bool Embedded, IReadOnlyList<RequestError> Errors);

public sealed record CompanyImportSummary(int Total, int Created, int Updated, int Unchanged, int Failed, int Embedded, TimeSpan Duration);

/// <summary>
/// Imports a stream of companies in bounded memory: each item checked on its own (a bad one fails alone and writes
/// nothing), the valid ones embedded and written a batch at a time, each result handed to <see cref="OnResult"/> in
/// input order as its batch completes. A later item with the id of an earlier one replaces it.
/// </summary>
public sealed record ImportCompanies(IAsyncEnumerable<CompanyImportItem> Items, Func<CompanyImportResult, ValueTask> OnResult) : IRequest<CompanyImportSummary>;

public sealed class ImportCompaniesHandler(CompanyIndex index, TimeProvider time) : IRequestHandler<ImportCompanies, CompanyImportSummary>
{
    public async Task<CompanyImportSummary> Handle(ImportCompanies request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var year = time.GetUtcNow().Year;
        var counts = new int[Enum.GetValues<CompanyWriteStatus>().Length];
        var embedded = 0;
        var total = 0;
        var pending = new List<CompanyImportResult?>(index.BatchSize);
        var batch = new List<(int Slot, Company Company)>(index.BatchSize);
        var idsInBatch = new HashSet<string>(StringComparer.Ordinal);

        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                var outcomes = await CompanyWriter.WriteAsync(index, [.. batch.Select(b => b.Company)], cancellationToken).ConfigureAwait(false);
                for (var k = 0; k < batch.Count; k++)
                {
                    var slot = batch[k].Slot;
                    pending[slot] = new CompanyImportResult(pending[slot]!.Index, outcomes[k].Id, outcomes[k].Status, outcomes[k].Embedded, outcomes[k].Errors);
                }
            }

            foreach (var result in pending)
            {
                counts[(int)result!.Status]++;
                embedded += result.Embedded ? 1 : 0;
                await request.OnResult(result).ConfigureAwait(false);
            }

            pending.Clear();
            batch.Clear();
            idsInBatch.Clear();
        }

        await foreach (var item in request.Items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            total++;
            var (company, failure) = Check(item, year);
            if (company is not null && !idsInBatch.Add(company.Id.Value))
            {
                await FlushAsync().ConfigureAwait(false); // the earlier one is written first, so the later one wins
                idsInBatch.Add(company.Id.Value);
            }

            pending.Add(failure ?? new CompanyImportResult(item.Index, company!.Id.Value, CompanyWriteStatus.Created, false, []));
            if (company is not null)
            {
                batch.Add((pending.Count - 1, company));
            }

            if (batch.Count >= index.BatchSize || pending.Count >= index.BatchSize * 4)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        return new CompanyImportSummary(
            total,
            counts[(int)CompanyWriteStatus.Created],
            counts[(int)CompanyWriteStatus.Updated],
            counts[(int)CompanyWriteStatus.Unchanged],
            counts[(int)CompanyWriteStatus.Failed],
            embedded,
            Stopwatch.GetElapsedTime(started));
    }

    private static (Company? Company, CompanyImportResult? Failure) Check(CompanyImportItem item, int year)
    {
        if (item.ReadError is { } readError)
        {
            return (null, Failed(item, null, [new RequestError("", ErrorCodes.InvalidRequest, readError)]));
        }

        var parser = new RequestParser();
        if (item.Company is null)
        {
            parser.Add("", "a company object is required");
            return (null, Failed(item, null, parser.Errors));
        }

        var company = item.Company.Parse(parser, item.Company.Id, year);
        return company is null ? (null, Failed(item, item.Company.Id, [.. parser.Errors])) : (company, null);
    }

    private static CompanyImportResult Failed(CompanyImportItem item, string? id, IReadOnlyList<RequestError> errors) =>
        new(item.Index, id, CompanyWriteStatus.Failed, false, errors);
}
