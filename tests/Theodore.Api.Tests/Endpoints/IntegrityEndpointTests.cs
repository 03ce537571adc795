using System.Net;
using System.Text.Json;
using NSubstitute;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Api.Tests.Endpoints;

public sealed class IntegrityEndpointTests
{
    [Fact]
    public async Task Integrity_on_a_backend_that_cannot_check_is_501_unsupported_operation()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/v1/indexes/companies/integrity", UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");
    }

    [Fact]
    public async Task Integrity_returns_the_report_with_each_problem_and_its_count()
    {
        var storage = Substitute.For<IVectorStorage, IIntegrityCheckedStorage>();
        storage.GetService(typeof(IIntegrityCheckedStorage), null).Returns(storage);
        ((IIntegrityCheckedStorage)storage).CheckIntegrityAsync(Arg.Any<IndexName>(), Arg.Any<CancellationToken>()).Returns(
            new IntegrityReport(IndexName.Parse("companies"), 1000, 2, [new IntegrityProblem("unreachable", "2 live records cannot be reached on layer 0", 2)], TimeSpan.FromMilliseconds(12)));
        using var factory = new TheodoreApiFactory().WithStorage(storage);
        using var client = factory.CreateClient();

        var body = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/indexes/companies/integrity", UriKind.Relative))).RootElement;

        Assert.False(body.GetProperty("healthy").GetBoolean());
        Assert.Equal(1000, body.GetProperty("recordsChecked").GetInt64());
        Assert.Equal(2, body.GetProperty("unreachableRecords").GetInt64());
        Assert.Equal("unreachable", body.GetProperty("problems")[0].GetProperty("code").GetString());
    }
}
