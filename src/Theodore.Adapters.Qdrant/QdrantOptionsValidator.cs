using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Qdrant;

/// <summary>The rules DataAnnotations cannot say: an absolute http(s) endpoint, and write consistency within replication.</summary>
public sealed class QdrantOptionsValidator : IValidateOptions<QdrantOptions>
{
    public ValidateOptionsResult Validate(string? name, QdrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{QdrantOptions.SectionName}:Endpoint must be an absolute http:// (h2c) or https:// URL such as http://localhost:6334.");
        }
        else if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            failures.Add($"{QdrantOptions.SectionName}:Endpoint must not carry a query or user info; put the key in {QdrantOptions.SectionName}:ApiKey.");
        }

        if (options.WriteConsistencyFactor is { } wcf && wcf > (options.ReplicationFactor ?? 1))
        {
            failures.Add($"{QdrantOptions.SectionName}:WriteConsistencyFactor ({wcf}) must not exceed ReplicationFactor ({options.ReplicationFactor ?? 1}).");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"{QdrantOptions.SectionName}:Timeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
