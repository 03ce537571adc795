using System.Text.Json;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Application.Common;

/// <summary>
/// Parses a request's raw fields into Core values once, collecting every problem instead of stopping at the first,
/// then refuses the request as a whole through <see cref="RequestErrors"/> (the one mapping from broken rules to an
/// error). Rules that need the index (dimension, metric, embedding contract) are the adapter's, checked against the
/// definition it holds, so parsing never costs a round trip.
/// </summary>
internal sealed class RequestParser
{
    private readonly List<RequestError> _errors = [];

    public bool HasErrors => _errors.Count > 0;

    public int ErrorCount => _errors.Count;

    /// <summary>Every problem found so far, for a caller that reports them itself (an import's failed item).</summary>
    public IReadOnlyList<RequestError> Errors => _errors;

    public void Add(string path, string message, string code = ErrorCodes.InvalidRequest) => _errors.Add(new RequestError(path, code, message));

    public IndexName Index(string? value, string path = "index")
    {
        if (IndexName.TryParse(value, out var name, out var error))
        {
            return name;
        }

        Add(path, error);
        return null!;
    }

    public VectorId Id(string? value, string path = "id")
    {
        if (VectorId.TryParse(value, out var id, out var error))
        {
            return id;
        }

        Add(path, error);
        return null!;
    }

    public Namespace Namespace(string? value, string path = "namespace")
    {
        if (Core.Domain.Namespace.TryParse(value, out var ns, out var error))
        {
            return ns;
        }

        Add(path, error);
        return default;
    }

    public Metadata Metadata(JsonElement? value, string path = "metadata") =>
        value is { } element ? MetadataJson.Read(element, path, _errors) ?? Core.Domain.Metadata.Empty : Core.Domain.Metadata.Empty;

    public FilterExpression? Filter(JsonElement? value, string path = "filter")
    {
        if (!RequestParsing.IsPresent(value))
        {
            return null;
        }

        try
        {
            return FilterJson.Parse(value!.Value, path);
        }
        catch (InvalidFilterException ex)
        {
            _errors.AddRange(ex.Errors);
            return null;
        }
    }

    /// <summary>
    /// A vector's values: present, non-empty and finite, so a request's every problem is listed at once. Whether they
    /// fit the index (dimension, metric, embedding contract) is the storage's check, against the index it holds.
    /// </summary>
    public ReadOnlyMemory<float> Values(float[]? values, string path)
    {
        if (values is null || values.Length == 0)
        {
            Add(path, "a vector of at least one number is required");
            return ReadOnlyMemory<float>.Empty;
        }

        var nonFinite = Core.Domain.Vectors.IndexOfNonFinite(values);
        if (nonFinite >= 0)
        {
            Add($"{path}[{nonFinite}]", "values must be finite numbers (no NaN or Infinity, and within float range)");
        }

        return values;
    }

    /// <summary>At least one item and at most <paramref name="max"/>; false (with the error added) otherwise.</summary>
    public bool Count<T>(IReadOnlyCollection<T>? items, int max, string path, string what)
    {
        if (RequestRules.CountError(items, max, what) is { } error)
        {
            Add(path, error);
            return false;
        }

        return true;
    }

    /// <summary>A list of 1 to <paramref name="max"/> ids, each parsed at <c>path[i]</c>.</summary>
    public IReadOnlyList<VectorId> Ids(IReadOnlyList<string?>? ids, int max, string path = "ids")
    {
        if (!Count(ids, max, path, "id"))
        {
            return [];
        }

        var parsed = new VectorId[ids!.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            parsed[i] = Id(ids[i], $"{path}[{i}]");
        }

        return parsed;
    }

    /// <summary>Where one record lives: its index, id and namespace, or an error listing every problem.</summary>
    public static (IndexName Index, VectorId Id, Namespace Namespace) RecordAddress(string? index, string? id, string? ns)
    {
        var parser = new RequestParser();
        var address = (parser.Index(index), parser.Id(id), parser.Namespace(ns));
        parser.ThrowIfInvalid();
        return address;
    }

    /// <summary>Runs a Core initializer whose rule we want without restating it, keeping its errors.</summary>
    public T? With<T>(Func<T> coreRule)
    {
        try
        {
            return coreRule();
        }
        catch (InvalidRequestException ex)
        {
            _errors.AddRange(ex.Errors);
            return default;
        }
    }

    /// <summary>Refuses the request with every problem found; nothing has reached the storage yet.</summary>
    public void ThrowIfInvalid() => RequestErrors.ThrowIfAny(_errors);
}
