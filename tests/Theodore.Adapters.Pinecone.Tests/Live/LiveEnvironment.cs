using Theodore.Adapters.Pinecone.Tests.Support;

namespace Theodore.Adapters.Pinecone.Tests.Live;

/// <summary>
/// The real Pinecone from the environment: <c>THEODORE_PINECONE_API_KEY</c> (required), <c>THEODORE_PINECONE_CLOUD</c>
/// and <c>THEODORE_PINECONE_REGION</c> (aws / us-east-1 by default), <c>THEODORE_PINECONE_ENDPOINT</c> (the control
/// plane; set it to Pinecone Local's <c>http://localhost:5080</c> to run the live suites there) and
/// <c>THEODORE_PINECONE_SETTLE_MS</c>, how long writes take to become visible (serverless is eventually consistent).
/// </summary>
internal static class LiveEnvironment
{
    public static string? ApiKey => Environment.GetEnvironmentVariable(LiveFactAttribute.ApiKeyVariable);

    public static TimeSpan Settle =>
        TimeSpan.FromMilliseconds(int.TryParse(Environment.GetEnvironmentVariable("THEODORE_PINECONE_SETTLE_MS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : 5000);

    public static PineconeTestHost CreateHost() => PineconeTestHost.Create(options =>
    {
        options.ApiKey = ApiKey ?? throw new InvalidOperationException($"{LiveFactAttribute.ApiKeyVariable} is not set.");
        options.ControlPlaneEndpoint = Environment.GetEnvironmentVariable("THEODORE_PINECONE_ENDPOINT") ?? PineconeOptions.DefaultControlPlaneEndpoint;
        options.Cloud = Environment.GetEnvironmentVariable("THEODORE_PINECONE_CLOUD") ?? "aws";
        options.Region = Environment.GetEnvironmentVariable("THEODORE_PINECONE_REGION") ?? "us-east-1";
        options.IndexReadyPollInterval = TimeSpan.FromSeconds(2);
    });
}
