using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>
/// The embedding model an index was created for, fixed at creation. Writers and queries that state a
/// different model or version are refused, so vectors from two models never mix in one index.
/// </summary>
public sealed record EmbeddingContract
{
    public const int MaxFieldLength = 128;

    public EmbeddingContract(string model, string version, bool normalize)
    {
        Model = Require(model, "embedding.model");
        Version = Require(version, "embedding.version");
        Normalize = normalize;
    }

    public string Model { get; }

    public string Version { get; }

    /// <summary>True when vectors are expected to be unit length (checked on write within a tolerance).</summary>
    public bool Normalize { get; }

    private static string Require(string value, string path)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidRequestException(path, "is required");
        }

        if (value.Length > MaxFieldLength)
        {
            throw new InvalidRequestException(path, $"has at most {MaxFieldLength} characters");
        }

        return value;
    }
}
