using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// The embedding contract round-trips through the index's own <c>tags</c>, so a second process describing the index
/// sees it. The spec allows tag keys of at most 80 characters (letters, digits, <c>_</c>, <c>-</c>) and values of at
/// most 120 characters (letters, digits and <c>; @ _ - . +</c> and space), while a model name may hold any character
/// and 128 of them: the contract is written as JSON, base64url-encoded (letters, digits, <c>-</c>, <c>_</c> only) and
/// cut into values of at most 120 characters under the keys <c>theodore-embedding-0</c>, <c>-1</c>, ... A tag
/// <c>theodore-schema</c> names the encoding's version.
/// </summary>
internal static class PineconeIndexTags
{
    public const string SchemaKey = "theodore-schema";
    public const string SchemaVersion = "1";
    public const string EmbeddingKeyPrefix = "theodore-embedding-";
    public const int MaxValueLength = 120;

    public static Dictionary<string, string> Write(IndexDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [SchemaKey] = SchemaVersion };
        if (definition.Embedding is { } contract)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["model"] = contract.Model,
                    ["version"] = contract.Version,
                    ["normalize"] = contract.Normalize ? "true" : "false",
                },
                ContractJsonContext.Default.DictionaryStringString);
            var encoded = Base64Url.EncodeToString(json);
            for (int part = 0, start = 0; start < encoded.Length; part++, start += MaxValueLength)
            {
                tags[EmbeddingKeyPrefix + part.ToString(CultureInfo.InvariantCulture)] = encoded.Substring(start, Math.Min(MaxValueLength, encoded.Length - start));
            }
        }

        return tags;
    }

    /// <summary>The contract the tags hold, or null when there is none (or the tags were not written by Theodore).</summary>
    public static EmbeddingContract? ReadEmbedding(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null || !tags.TryGetValue(EmbeddingKeyPrefix + "0", out var first))
        {
            return null;
        }

        var encoded = new StringBuilder(first);
        for (var part = 1; tags.TryGetValue(EmbeddingKeyPrefix + part.ToString(CultureInfo.InvariantCulture), out var next); part++)
        {
            encoded.Append(next);
        }

        try
        {
            var values = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(encoded.ToString()), ContractJsonContext.Default.DictionaryStringString);
            return values is not null
                && values.TryGetValue("model", out var model)
                && values.TryGetValue("version", out var version)
                && values.TryGetValue("normalize", out var normalize)
                ? new EmbeddingContract(model, version, string.Equals(normalize, "true", StringComparison.Ordinal))
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ContractJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
