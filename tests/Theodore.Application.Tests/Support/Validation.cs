using FluentValidation;
using Theodore.Application.Behaviors;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Support;

/// <summary>
/// Runs a validator the way the pipeline does, through <see cref="ValidationBehavior{TRequest,TResponse}"/>, or a use
/// case's own parse (<see cref="ParseOf{T}"/>), and reports the errors either refuses the request with.
/// </summary>
internal static class Validation
{
    public static Task<InvalidRequestException?> RejectionAsync<T>(ParseOf<T> parser, T request)
    {
        try
        {
            parser.Parse(request);
            return Task.FromResult<InvalidRequestException?>(null);
        }
        catch (InvalidRequestException ex)
        {
            return Task.FromResult<InvalidRequestException?>(ex);
        }
    }

    public static async Task<IReadOnlyList<RequestError>> ErrorsAsync<T>(ParseOf<T> parser, T request) =>
        (await RejectionAsync(parser, request))?.Errors ?? [];

    public static async Task<IReadOnlyList<string>> PathsAsync<T>(ParseOf<T> parser, T request) =>
        (await ErrorsAsync(parser, request)).Select(e => e.Path).ToList();

    public static async Task AcceptsAsync<T>(ParseOf<T> parser, T request)
    {
        var errors = await ErrorsAsync(parser, request);
        Assert.True(errors.Count == 0, "expected no errors, got: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    public static async Task<RequestError> SingleErrorAsync<T>(ParseOf<T> parser, T request) =>
        Assert.Single(await ErrorsAsync(parser, request));

    public static async Task<InvalidRequestException?> RejectionAsync<T>(IValidator<T> validator, T request)
    {
        var behavior = new ValidationBehavior<T, string>([validator]);
        try
        {
            await behavior.Handle(request, CancellationToken.None, () => Task.FromResult("handled"));
            return null;
        }
        catch (InvalidRequestException ex)
        {
            return ex;
        }
    }

    public static async Task<IReadOnlyList<RequestError>> ErrorsAsync<T>(IValidator<T> validator, T request) =>
        (await RejectionAsync(validator, request))?.Errors ?? [];

    public static async Task<IReadOnlyList<string>> PathsAsync<T>(IValidator<T> validator, T request) =>
        (await ErrorsAsync(validator, request)).Select(e => e.Path).ToList();

    public static async Task AcceptsAsync<T>(IValidator<T> validator, T request)
    {
        var errors = await ErrorsAsync(validator, request);
        Assert.True(errors.Count == 0, "expected no errors, got: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    public static async Task<RequestError> SingleErrorAsync<T>(IValidator<T> validator, T request)
    {
        var errors = await ErrorsAsync(validator, request);
        return Assert.Single(errors);
    }
}
