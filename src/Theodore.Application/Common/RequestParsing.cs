using System.Text.Json;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Application.Common;

/// <summary>
/// Turns validated raw input into Core value objects. The validators have run by the time a handler calls these;
/// they still throw Core's errors so a handler used without the pipeline never accepts bad input.
/// </summary>
internal static class RequestParsing
{
    public static IndexName Index(string? value, string path = "index") =>
        IndexName.TryParse(value, out var name, out var error) ? name : throw new InvalidRequestException(path, error);

    public static BackupId Backup(string? value, string path = "backup") => BackupId.Parse(value, path);

    public static VectorId Id(string? value, string path = "id") => VectorId.Parse(value, path);

    public static Namespace Namespace(string? value, string path = "namespace") => Core.Domain.Namespace.Parse(value, path);

    public static Metadata Metadata(JsonElement? value, string path = "metadata") =>
        value is { } element ? MetadataJson.Read(element, path) : Core.Domain.Metadata.Empty;

    public static FilterExpression? Filter(JsonElement? value, string path = "filter") =>
        IsPresent(value) ? FilterJson.Parse(value!.Value, path) : null;

    public static bool IsPresent(JsonElement? value) => value is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) };
}
