using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Theodore.Core.Errors;

namespace Theodore.Application.Behaviors;

/// <summary>
/// Runs every validator of the request and refuses it as a whole with Core's <see cref="InvalidRequestException"/>
/// listing every error, so the API maps one exception hierarchy and nothing is written on bad input.
/// </summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly HashSet<string> KnownCodes = new(StringComparer.Ordinal)
    {
        ErrorCodes.InvalidRequest,
        ErrorCodes.InvalidFilter,
        ErrorCodes.DimensionMismatch,
        ErrorCodes.EmbeddingContractViolation,
    };

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var errors = new List<RequestError>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken).ConfigureAwait(false);
            errors.AddRange(result.Errors.Select(ToRequestError));
        }

        if (errors.Count > 0)
        {
            throw RequestErrors.ToException(errors);
        }

        return await next().ConfigureAwait(false);
    }

    // FluentValidation's own codes (e.g. "NotEmptyValidator") are not part of our contract
    private static RequestError ToRequestError(ValidationFailure failure) =>
        new(failure.PropertyName, failure.ErrorCode is { } code && KnownCodes.Contains(code) ? code : ErrorCodes.InvalidRequest, failure.ErrorMessage);
}
