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
    public void ToString_never_shows_the_key()
    {
        var options = new PineconeOptions { ApiKey = "pcsk_secret" };

        Assert.DoesNotContain("pcsk_secret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", options.ToString(), StringComparison.Ordinal);
    }
}
