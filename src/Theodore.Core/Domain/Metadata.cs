using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>
/// A record's metadata: keys of 1-64 characters to typed values, at most 40 KB as JSON. Immutable; keys are ordinal.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Metadata is the domain's word; it is a dictionary only in shape.")]
public sealed class Metadata : IReadOnlyDictionary<string, MetadataValue>, IEquatable<Metadata>
{
    public const int MaxKeyLength = 64;
    public const int MaxSerializedBytes = 40 * 1024;

    private readonly SortedDictionary<string, MetadataValue> _values;

    private Metadata(SortedDictionary<string, MetadataValue> values) => _values = values;

    public static Metadata Empty { get; } = new(new SortedDictionary<string, MetadataValue>(StringComparer.Ordinal));

    public int Count => _values.Count;

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<MetadataValue> Values => _values.Values;

    public MetadataValue this[string key] => _values[key];

    /// <summary>Builds metadata, throwing <see cref="InvalidRequestException"/> listing every broken rule.</summary>
    public static Metadata Create(IEnumerable<KeyValuePair<string, MetadataValue>> values, string path = "metadata")
    {
        var errors = new List<RequestError>();
        var result = TryCreate(values, path, errors);
        return result ?? throw new InvalidRequestException(errors);
    }

    /// <summary>
    /// This metadata with <paramref name="update"/>'s fields laid over it (a metadata merge): the given fields replace
    /// the same fields, the others stay. Checked like <see cref="Create"/>, so a merge past the size limit is refused.
    /// </summary>
    public Metadata MergedWith(Metadata update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var merged = new SortedDictionary<string, MetadataValue>(_values, StringComparer.Ordinal);
        foreach (var (key, value) in update)
        {
            merged[key] = value;
        }

        return Create(merged);
    }

    /// <summary>Builds metadata, or returns null and adds every broken rule to <paramref name="errors"/>.</summary>
    public static Metadata? TryCreate(IEnumerable<KeyValuePair<string, MetadataValue>> values, string path, ICollection<RequestError> errors)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var dict = new SortedDictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
            {
                errors.Add(new RequestError($"{path}", ErrorCodes.InvalidRequest, $"metadata keys have 1 to {MaxKeyLength} characters, got '{Truncate(key)}'"));
            }
            else if (value is null)
            {
                errors.Add(new RequestError($"{path}.{key}", ErrorCodes.InvalidRequest, "metadata values must not be null; leave the key out instead"));
            }
            else if (!dict.TryAdd(key, value))
            {
                errors.Add(new RequestError($"{path}.{key}", ErrorCodes.InvalidRequest, "duplicate metadata key"));
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        var metadata = new Metadata(dict);
        var size = MetadataJson.SerializedSize(metadata);
        if (size > MaxSerializedBytes)
        {
            errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, $"metadata is {size} bytes as JSON; the limit is {MaxSerializedBytes} bytes"));
            return null;
        }

        return metadata;
    }

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out MetadataValue value) => _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, MetadataValue>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Metadata? other) =>
        other is not null && other.Count == Count && _values.All(kv => other.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));

    public override bool Equals(object? obj) => Equals(obj as Metadata);

    public override int GetHashCode() => Count;

    private static string Truncate(string? key) => key is null ? string.Empty : key.Length <= 20 ? key : key[..20] + "...";
}
