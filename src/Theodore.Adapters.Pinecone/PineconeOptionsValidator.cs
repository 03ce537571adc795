using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Pinecone;

/// <summary>What DataAnnotations cannot say: the endpoint is an absolute http(s) URI and the cloud is one Pinecone offers.</summary>
internal sealed class PineconeOptionsValidator : IValidateOptions<PineconeOptions>
{
    private static readonly string[] Clouds = ["aws", "gcp", "azure"];

    public ValidateOptionsResult Validate(string? name, PineconeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.ControlPlaneEndpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{PineconeOptions.SectionName}:ControlPlaneEndpoint must be an absolute http:// or https:// URI.");
        }

        if (!Clouds.Contains(options.Cloud, StringComparer.Ordinal))
        {
            failures.Add($"{PineconeOptions.SectionName}:Cloud must be one of {string.Join(", ", Clouds)}.");
        }

        if (options.ApiKey.Any(char.IsControl))
        {
            failures.Add($"{PineconeOptions.SectionName}:ApiKey must not contain control characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
