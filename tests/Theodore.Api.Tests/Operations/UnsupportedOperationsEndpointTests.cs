using System.Net;
using NSubstitute;
using Theodore.Adapters.Mock;
using Theodore.Api.Tests.Endpoints;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Api.Tests.Operations;

/// <summary>
/// What a backend lacks is refused with 501 <c>unsupported_operation</c> before anything is applied: a backend without
/// the ports at all, and one with the mixed-batch port but without atomic batches, soft delete or TTL (as Qdrant).
/// </summary>
public sealed class UnsupportedOperationsEndpointTests
{
    /// <summary>The Mock with the issue-13 ports hidden and their flags off, or with a stand-in batch port and only mixed batches.</summary>
    private sealed class LimitedStorage(IVectorStorage inner, IRecordOperationsStorage? operations) : DelegatingVectorStorage(inner)
    {
        public override StorageCapabilities Capabilities => Inner.Capabilities with
        {
            MixedBatches = operations is not null,
            AtomicBatches = false,
            SoftDelete = false,
            Ttl = false,
            Compaction = false,
            OnlineRebuild = false,
        };

        public override object? GetService(Type serviceType, object? serviceKey = null)
        {
            ArgumentNullException.ThrowIfNull(serviceType);
            if (serviceType == typeof(IRecordOperationsStorage))
            {
                return operations;
            }

            return serviceType == typeof(IIndexMaintenanceStorage) || serviceType == typeof(IOnlineRebuildStorage) ? null : base.GetService(serviceType, serviceKey);
        }
    }

    private static async Task<HttpClient> ClientAsync(TheodoreApiFactory factory, IRecordOperationsStorage? operations = null)
    {
        var client = factory.WithStorage(new LimitedStorage(new MockVectorStorage(), operations)).CreateClient();
        await client.CreateIndexAsync("limited", 3);
        await client.UpsertAsync("limited", """[{"id":"a","values":[1,0,0]}]""");
        return client;
    }

    public static TheoryData<string, string, string?> Requests => new()
    {
        { "POST", "/v1/indexes/limited/batch", """{"operations":[{"op":"delete","id":"a"}]}""" },
        { "DELETE", "/v1/indexes/limited/vectors/a?soft=true", null },
        { "POST", "/v1/indexes/limited/vectors/a/restore", null },
        { "PUT", "/v1/indexes/limited/vectors/a/ttl", """{"ttlSeconds":10}""" },
        { "POST", "/v1/indexes/limited/vectors/fetch", """{"ids":["a"],"includeDeleted":true}""" },
        { "GET", "/v1/indexes/limited/vectors?includeDeleted=true", null },
        { "POST", "/v1/indexes/limited/vectors/upsert", """{"vectors":[{"id":"b","values":[0,1,0],"ttlSeconds":10}]}""" },
        { "PUT", "/v1/indexes/limited/vectors/b", """{"values":[0,1,0],"expiresAt":"2031-01-01T00:00:00Z"}""" },
        { "POST", "/v1/indexes/limited/compact", null },
        { "POST", "/v1/indexes/limited/rebuild", null },
        { "GET", "/v1/indexes/limited/rebuild", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Backend_without_the_ports_answers_501_and_writes_nothing(string method, string url, string? body)
    {
        using var factory = new TheodoreApiFactory();
        using var client = await ClientAsync(factory);

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");
        var listed = await (await client.GetAsync("/v1/indexes/limited/vectors")).ReadJsonAsync();
        Assert.Equal(["a"], listed.GetProperty("vectors").Ids());
    }

    public static TheoryData<string> Refused => new()
    {
        """{"atomic":true,"operations":[{"op":"delete","id":"a"}]}""",
        """{"operations":[{"op":"delete","id":"a"},{"op":"softDelete","id":"a"}]}""",
        """{"operations":[{"op":"restore","id":"a"}]}""",
        """{"operations":[{"op":"setExpiry","id":"a"}]}""",
        """{"operations":[{"op":"upsert","id":"b","values":[0,1,0],"ttlSeconds":5}]}""",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Batch_with_what_the_backend_lacks_is_501_before_the_port_is_called(string body)
    {
        var operations = Substitute.For<IRecordOperationsStorage>();
        using var factory = new TheodoreApiFactory();
        using var client = await ClientAsync(factory, operations);

        await (await client.PostJsonAsync("/v1/indexes/limited/batch", body)).AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");

        await operations.DidNotReceiveWithAnyArgs().ApplyAsync(default!, default!, default, default, default);
    }

    [Fact]
    public async Task Batch_the_backend_supports_reaches_its_port_once_with_the_namespace()
    {
        var operations = Substitute.For<IRecordOperationsStorage>();
        operations.ApplyAsync(default!, default!, default, default, default).ReturnsForAnyArgs(new OperationBatchResult(
            [new RecordOperationResult(0, RecordOperationKind.Delete, VectorId.Parse("a"), true), new RecordOperationResult(1, RecordOperationKind.UpdateMetadata, VectorId.Parse("z"), false, "record_not_found", "Record 'z' does not exist.")],
            false,
            TimeSpan.FromMilliseconds(1.5)));
        using var factory = new TheodoreApiFactory();
        using var client = await ClientAsync(factory, operations);

        var body = await (await client.PostJsonAsync("/v1/indexes/limited/batch", """{"namespace":"tenant","operations":[{"op":"delete","id":"a"},{"op":"updateMetadata","id":"z","metadata":{"k":1}}]}""")).ReadJsonAsync();

        Assert.Equal(1.5, body.GetProperty("durationMs").GetDouble());
        Assert.Equal("Record 'z' does not exist.", body.GetProperty("results")[1].GetProperty("error").GetProperty("message").GetString());
        await operations.Received(1).ApplyAsync(IndexName.Parse("limited"), Arg.Is<IReadOnlyList<RecordOperation>>(o => o.Count == 2), Namespace.Parse("tenant"), OperationBatchOptions.Default, Arg.Any<CancellationToken>());
    }
}
