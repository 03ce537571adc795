using System.Text.Json;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;

namespace Theodore.Application.Common;

/// <summary>
/// Turns one validated raw value into a Core value, for the use cases that keep a validator. The validators have run
/// by the time a handler calls these; they still throw Core's errors so a handler used without the pipeline never
/// accepts bad input. Use cases that parse themselves collect every problem with <see cref="RequestParser"/>.
/// </summary>
internal static class RequestParsing
{
    public static IndexName Index(string? value, string path = "index") =>
        IndexName.TryParse(value, out var name, out var error) ? name : throw new InvalidRequestException(path, error);

    public static BackupId Backup(string? value, string path = "backup") => BackupId.Parse(value, path);

    public static bool IsPresent(JsonElement? value) => value is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) };
}
