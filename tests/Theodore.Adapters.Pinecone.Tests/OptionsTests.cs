using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Theodore.Adapters.Pinecone.Tests.Support;

namespace Theodore.Adapters.Pinecone.Tests;

public sealed class OptionsTests
{
    [Fact]
    public async Task Settings_bind_from_the_VectorStorage_Pinecone_section()
    {
        await using var host = PineconeTestHost.Create(_ => { }, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["VectorStorage:Pinecone:ApiKey"] = "from-config",
            ["VectorStorage:Pinecone:ControlPlaneEndpoint"] = "http://127.0.0.1:5080",
            ["VectorStorage:Pinecone:Cloud"] = "gcp",
            ["VectorStorage:Pinecone:Region"] = "europe-west4",
            ["VectorStorage:Pinecone:DeletionProtection"] = "true",
        });

        Assert.Equal("pinecone", host.Storage.Capabilities.SystemName);
        Assert.Equal(PineconeOptions.SectionName, "VectorStorage:Pinecone");
    }

    [Theory]
    [InlineData("", "https://api.pinecone.io", "aws")]
    [InlineData("key", "ftp://example.com", "aws")]
    [InlineData("key", "not a uri", "aws")]
    [InlineData("key", "https://api.pinecone.io", "oracle")]
    public void Invalid_settings_fail_validation(string apiKey, string endpoint, string cloud)
    {
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddPineconeVectorStorage(o =>
        {
            o.ApiKey = apiKey;
            o.ControlPlaneEndpoint = endpoint;
            o.Cloud = cloud;
        });
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PineconeOptions>>().Value);
    }

    [Fact]
    public async Task Cloud_region_and_deletion_protection_reach_the_created_index()
    {
        await using var scope = await FakeScope.StartAsync(tweak: o =>
        {
            o.Cloud = "gcp";
            o.Region = "europe-west4";
            o.DeletionProtection = true;
        });
        var index = await scope.CreateIndexAsync(2);

        var created = scope.Fake.FindIndex(index.Value)!;
        var refused = await Assert.ThrowsAsync<Core.Errors.InvalidRequestException>(async () => await scope.Storage.DeleteIndexAsync(index));

        Assert.Equal(("gcp", "europe-west4", "enabled"), (created.Cloud, created.Region, created.DeletionProtection));
        Assert.Contains("Deletion protection", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(scope.Fake.FindIndex(index.Value));
    }

    [Fact]
    public void ToString_never_shows_the_key()
    {
        var options = new PineconeOptions { ApiKey = "pcsk_secret" };

        Assert.DoesNotContain("pcsk_secret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", options.ToString(), StringComparison.Ordinal);
    }
}
