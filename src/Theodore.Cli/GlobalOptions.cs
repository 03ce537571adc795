using System.CommandLine;

namespace Theodore.Cli;

/// <summary>The options every command takes: where the API is, its key, and raw JSON output.</summary>
internal sealed class GlobalOptions
{
    public const string UrlVariable = "THEODORE_URL";
    public const string ApiKeyVariable = "THEODORE_API_KEY";

    /// <summary>The API's address under <c>dotnet run --project src/Theodore.Api</c> (its launchSettings.json).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The API's base address (default: ${UrlVariable}, else {DefaultUrl})",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key, sent in the Api-Key header (default: ${ApiKeyVariable})",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON instead of tables",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(ApiKey);
        command.Options.Add(Json);
    }
}
