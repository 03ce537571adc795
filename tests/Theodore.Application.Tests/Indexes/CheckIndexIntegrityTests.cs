using NSubstitute;
using Theodore.Application.Indexes;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Indexes;

public sealed class CheckIndexIntegrityTests
{
    [Fact]
    public async Task Handle_backend_with_the_port_returns_its_report()
    {
        var storage = Substitute.For<IVectorStorage, IIntegrityCheckedStorage>();
        storage.GetService(typeof(IIntegrityCheckedStorage), null).Returns(storage);
        var report = new IntegrityReport(IndexName.Parse("companies"), 10, 0, [], TimeSpan.FromMilliseconds(3));
        ((IIntegrityCheckedStorage)storage).CheckIntegrityAsync(IndexName.Parse("companies"), Arg.Any<CancellationToken>()).Returns(report);

        var result = await new CheckIndexIntegrityHandler(storage).Handle(new CheckIndexIntegrity("companies"), CancellationToken.None);

        Assert.Same(report, result);
    }

    [Fact]
    public async Task Handle_backend_without_the_port_is_unsupported_operation_naming_the_system()
    {
        var storage = Substitute.For<IVectorStorage>();
        storage.Capabilities.Returns(new StorageCapabilities { SystemName = "pinecone" });

        var error = await Assert.ThrowsAsync<UnsupportedOperationException>(() => new CheckIndexIntegrityHandler(storage).Handle(new CheckIndexIntegrity("companies"), CancellationToken.None));

        Assert.Contains("pinecone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_invalid_name_reports_index()
    {
        var error = await Validation.SingleErrorAsync(new ParseOf<CheckIndexIntegrity>(r => r.Parse()), new CheckIndexIntegrity("Bad Name"));

        Assert.Equal("index", error.Path);
    }
}
