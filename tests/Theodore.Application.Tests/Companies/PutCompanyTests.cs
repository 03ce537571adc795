using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Theodore.Application.Companies;
using Theodore.Application.Embeddings;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;

namespace Theodore.Application.Tests.Companies;

/// <summary>A PUT: one read, one generator call only for a changed text, one write only for a changed company.</summary>
public sealed class PutCompanyTests : IDisposable
{
    private readonly StorageFixture _fixture = new(batch: true);
    private readonly CountingGenerator _generator = new();
    private readonly PutCompanyHandler _handler;

    public PutCompanyTests()
    {
        _fixture.WithIndex(embedding: new EmbeddingContract("model-a", "1", normalize: true));
        _fixture.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(call => BatchResult.AllSucceeded(call.Arg<IReadOnlyList<VectorRecord>>().Count));
        var index = new CompanyIndex(_fixture.Storage, () => _generator, new CompaniesOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        _handler = new PutCompanyHandler(index, TimeProvider.System);
    }

    public void Dispose() => _generator.Dispose();

    [Fact]
    public async Task A_new_company_is_embedded_as_a_document_and_written_once()
    {
        Stored();

        var outcome = await _handler.Handle(new PutCompany("acme", new CompanyInput { Name = "Acme", Description = "Payroll" }), CancellationToken.None);

        Assert.Equal((CompanyWriteStatus.Created, true), (outcome.Status, outcome.Embedded));
        var call = Assert.Single(_generator.Calls);
        Assert.Equal(EmbeddingInputTypes.Document, call.Options?.AdditionalProperties?[EmbeddingInputTypes.PropertyKey]);
        await _fixture.Batch.Received(1).UpsertManyAsync(StorageFixture.Companies, Arg.Is<IReadOnlyList<VectorRecord>>(r => r.Count == 1 && r[0].Metadata.ContainsKey(CompanyMetadata.TextHash)), Arg.Any<Namespace>(), Arg.Any<BatchOptions?>(), Arg.Any<IProgress<BatchProgress>?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_rename_keeps_the_stored_vector_and_an_identical_company_is_not_written()
    {
        var company = new CompanyInput { Name = "Acme", Description = "Payroll" };
        var stored = Record("acme", company);
        Stored(stored);

        var renamed = await _handler.Handle(new PutCompany("acme", company with { Name = "Acme GmbH" }), CancellationToken.None);
        Assert.Equal((CompanyWriteStatus.Updated, false), (renamed.Status, renamed.Embedded));
        Assert.Empty(_generator.Calls);
        await _fixture.Batch.Received(1).UpsertManyAsync(StorageFixture.Companies, Arg.Is<IReadOnlyList<VectorRecord>>(r => r[0].Values.ToArray().SequenceEqual(stored.Values.ToArray())), Arg.Any<Namespace>(), Arg.Any<BatchOptions?>(), Arg.Any<IProgress<BatchProgress>?>(), Arg.Any<CancellationToken>());

        _fixture.Batch.ClearReceivedCalls();
        var same = await _handler.Handle(new PutCompany("acme", company), CancellationToken.None);
        Assert.Equal(CompanyWriteStatus.Unchanged, same.Status);
        await _fixture.Batch.DidNotReceiveWithAnyArgs().UpsertManyAsync(default!, default!, default, default, default, default);
    }

    private void Stored(params VectorRecord[] records) =>
        _fixture.Batch.GetManyAsync(StorageFixture.Companies, Arg.Any<IReadOnlyList<VectorId>>(), Arg.Any<Namespace>(), Arg.Any<CancellationToken>()).Returns(records);

    private static VectorRecord Record(string id, CompanyInput input)
    {
        var company = input.Parse(new Common.RequestParser(), id, 2026)!;
        var metadata = CompanyWriter.WithHash(CompanyMetadata.ToMetadata(company), CompanyText.Hash(CompanyText.For(company)));
        return new VectorRecord(company.Id, new[] { 0.6f, 0.8f, 0f }, metadata);
    }
}
