using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Theodore.Cli.Tests.EndToEnd;

/// <summary>
/// The real API in process (the exact in-memory Mock storage, the local embedding model, no rate limit), shared by a
/// test class so the model loads once. The CLI reaches it through the test server's handler.
/// </summary>
public sealed class ApiHost : WebApplicationFactory<global::Program>
{
    public const string Key = "cli-test-key-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("VectorStorage:Provider", "Mock");
        builder.UseSetting("Api:RateLimit:Enabled", "false");
        builder.UseSetting("Api:Keys:0:Name", "cli");
        builder.UseSetting("Api:Keys:0:Key", Key);
    }

    /// <summary>Runs the CLI against this API with the key set in the environment, as a user would.</summary>
    internal Task<CliRun> RunAsync(params string[] args) =>
        CliRun.RunAsync(Server.CreateHandler(), new Dictionary<string, string>(StringComparer.Ordinal) { ["THEODORE_URL"] = "http://localhost/", ["THEODORE_API_KEY"] = Key }, args);

    internal Task<CliRun> RunWithoutKeyAsync(params string[] args) =>
        CliRun.RunAsync(Server.CreateHandler(), new Dictionary<string, string>(StringComparer.Ordinal) { ["THEODORE_URL"] = "http://localhost/" }, args);
}
