using NSubstitute;
using Theodore.Application.Health;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;

namespace Theodore.Application.Tests.Health;

public sealed class GetHealthTests
{
    [Theory]
    [InlineData(HealthStatus.Healthy)]
    [InlineData(HealthStatus.Unhealthy)]
    public async Task Handle_reports_what_the_storage_says(HealthStatus status)
    {
        var fixture = new StorageFixture();
        fixture.Storage.CheckHealthAsync(Arg.Any<CancellationToken>()).Returns(new StorageHealth(status, "test", "why"));

        var health = await new GetHealthHandler(fixture.Storage).Handle(new GetHealth(), CancellationToken.None);

        Assert.Equal(status, health.Status);
        Assert.Equal("test", health.SystemName);
    }
}
