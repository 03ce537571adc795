using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;
using Theodore.Core.Errors;

namespace Theodore.Application.Companies;

/// <summary>
/// Stores one company: checked whole (every problem listed, nothing written), embedded unless the text it is embedded
/// from is unchanged, and written as one record. 409 <c>embedding_contract_violation</c> when the index was made by
/// another model.
/// </summary>
public sealed record PutCompany(string? Id, CompanyInput? Company) : IRequest<CompanyWriteOutcome>
{
    internal Company Parse(int currentYear)
    {
        var parser = new RequestParser();
        if (Company is null)
        {
            parser.Add("body", "a company is required");
            parser.Id(Id);
            parser.ThrowIfInvalid();
        }

        var company = Company!.Parse(parser, Id, currentYear);
        parser.ThrowIfInvalid();
        return company!;
    }
}

public sealed class PutCompanyHandler(CompanyIndex index, TimeProvider time) : IRequestHandler<PutCompany, CompanyWriteOutcome>
{
    public async Task<CompanyWriteOutcome> Handle(PutCompany request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var company = request.Parse(time.GetUtcNow().Year);
        var outcome = (await CompanyWriter.WriteAsync(index, [company], cancellationToken).ConfigureAwait(false))[0];
        if (outcome.Status == CompanyWriteStatus.Failed)
        {
            RequestErrors.ThrowIfAny(outcome.Errors);
        }

        return outcome;
    }
}

/// <summary>One company by id; <see cref="RecordNotFoundException"/> when there is none.</summary>
public sealed record GetCompany(string? Id) : IRequest<Company>
{
    internal VectorId Parse() => VectorId.Parse(Id);
}

public sealed class GetCompanyHandler(CompanyIndex index) : IRequestHandler<GetCompany, Company>
{
    public async Task<Company> Handle(GetCompany request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Parse();
        using var lease = await index.ReadAsync(cancellationToken).ConfigureAwait(false);
        var record = await index.Storage.GetAsync(lease.Binding.Index, id, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new RecordNotFoundException(index.Name.Value, id.Value);
        return CompanyMetadata.FromMetadata(record.Id, record.Metadata);
    }
}

/// <summary>Deletes one company (from the index a running re-embed fills too); <see cref="RecordNotFoundException"/> when there is none.</summary>
public sealed record DeleteCompany(string? Id) : IRequest<Unit>
{
    internal VectorId Parse() => VectorId.Parse(Id);
}

public sealed class DeleteCompanyHandler(CompanyIndex index) : IRequestHandler<DeleteCompany, Unit>
{
    public async Task<Unit> Handle(DeleteCompany request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Parse();
        using var lease = await index.WriteAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await index.Storage.DeleteAsync(lease.Binding.Index, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (lease.Target is { } target)
        {
            await index.Storage.DeleteAsync(target.Index, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return deleted ? Unit.Value : throw new RecordNotFoundException(index.Name.Value, id.Value);
    }
}
