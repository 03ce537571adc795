using FluentValidation;
using FluentValidation.Results;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;

namespace Theodore.Application.Common;

/// <summary>
/// Validator building blocks that defer to Core's rules (never restate them) and report every problem with its
/// JSON-like path and error code, so a request is refused once with the full list.
/// </summary>
internal static class RequestRules
{
    public static void AddError<T>(this ValidationContext<T> context, string path, string message, string code = ErrorCodes.InvalidRequest) =>
        context.AddFailure(new ValidationFailure(path, message) { ErrorCode = code });

    public static void AddErrors<T>(this ValidationContext<T> context, IEnumerable<RequestError> errors)
    {
        foreach (var error in errors)
        {
            context.AddError(error.Path, error.Message, error.Code);
        }
    }

    public static void CheckIndexName<T>(this ValidationContext<T> context, string? value, string path)
    {
        if (!IndexName.TryParse(value, out _, out var error))
        {
            context.AddError(path, error);
        }
    }

    public static void CheckBackupId<T>(this ValidationContext<T> context, string? value, string path = "backup")
    {
        if (!BackupId.TryParse(value, out _, out var error))
        {
            context.AddError(path, error);
        }
    }

    /// <summary>Runs a Core constructor or initializer whose rule we want without restating it, keeping its errors.</summary>
    public static void CheckWith<T>(this ValidationContext<T> context, Action coreRule)
    {
        try
        {
            coreRule();
        }
        catch (InvalidRequestException ex)
        {
            context.AddErrors(ex.Errors);
        }
    }

    public static void CheckCount<T, TItem>(this ValidationContext<T> context, IReadOnlyCollection<TItem>? items, int max, string path, string what)
    {
        if (CountError(items, max, what) is { } error)
        {
            context.AddError(path, error);
        }
    }

    /// <summary>What is wrong with a list that needs 1 to <paramref name="max"/> items, or null; validators and parsers share it.</summary>
    public static string? CountError<TItem>(IReadOnlyCollection<TItem>? items, int max, string what) => items switch
    {
        null or { Count: 0 } => $"at least one {what} is required",
        { Count: var n } when n > max => $"at most {max} {what}s per request, got {n}",
        _ => null,
    };
}
