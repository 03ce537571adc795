using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Theodore.Application.Query;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Behaviors;

/// <summary>
/// Every request makes exactly the port calls it needs: on Qdrant or Pinecone each extra call is a network round trip
/// and a second pass through every decorator. The port is a recording substitute; the whole pipeline runs.
/// </summary>
public sealed class OnePassTests
{
    private readonly StorageFixture _fixture = new(batch: true);

    [Fact]
    public async Task QueryByVector_makes_one_search_call_and_nothing_else()
    {
        await SendAsync(new QueryByVector("companies", [1, 0, 0], new QueryOptions(10)));

        Assert.Equal(["SearchAsync"], PortCalls());
    }

    [Fact]
    public async Task QueryById_makes_one_search_by_id_call_and_nothing_else()
    {
        await SendAsync(new QueryById("companies", "acme", new QueryOptions(10)));

        Assert.Equal(["SearchByIdAsync"], PortCalls());
    }

    [Fact]
    public async Task UpsertVector_makes_one_upsert_call_and_nothing_else()
    {
        await SendAsync(new UpsertVector("companies", "acme", [1, 0, 0]));

        Assert.Equal(["UpsertAsync"], PortCalls());
    }

    [Fact]
    public async Task UpsertVectors_makes_one_batch_upsert_that_refuses_invalid_batches_and_nothing_else()
    {
        _fixture.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(BatchResult.AllSucceeded(2));

        await SendAsync(new UpsertVectors("companies", [new VectorInput("a", [1, 0, 0]), new VectorInput("b", [0, 1, 0])]));

        Assert.Equal(["UpsertManyAsync"], PortCalls());
        await _fixture.Batch.Received(1).UpsertManyAsync(
            StorageFixture.Companies, Arg.Is<IReadOnlyList<VectorRecord>>(r => r.Count == 2), default, Arg.Is<BatchOptions?>(o => o!.RefuseInvalidBatch), null, Arg.Any<CancellationToken>());
    }

    // Calls that reach a backend: the port's and the batch port's; Capabilities and GetService are answered locally.
    private string[] PortCalls() =>
        _fixture.Storage.ReceivedCalls().Concat(_fixture.Batch.ReceivedCalls())
            .Select(c => c.GetMethodInfo().Name)
            .Where(n => n is not ("GetService" or "get_Capabilities"))
            .ToArray();

    private async Task SendAsync<T>(IRequest<T> request)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(_fixture.Storage);
        services.AddTheodoreApplication();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IMediator>().Send(request);
    }
}
