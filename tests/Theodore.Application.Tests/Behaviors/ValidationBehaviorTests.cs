using FluentValidation;
using Theodore.Application.Behaviors;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Behaviors;

public sealed class ValidationBehaviorTests
{
    public sealed record Probe(string? A, string? B);

    private sealed class CodedValidator : AbstractValidator<Probe>
    {
        public CodedValidator(params (string Path, string Code)[] failures) =>
            RuleFor(p => p).Custom((_, context) =>
            {
                foreach (var (path, code) in failures)
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure(path, $"{path} is wrong") { ErrorCode = code });
                }
            });
    }

    private sealed class RequiredValidator : AbstractValidator<Probe>
    {
        public RequiredValidator()
        {
            RuleFor(p => p.A).NotEmpty();
            RuleFor(p => p.B).NotEmpty();
        }
    }

    private static async Task<(bool Called, InvalidRequestException? Error)> RunAsync(params IValidator<Probe>[] validators)
    {
        var called = false;
        var behavior = new ValidationBehavior<Probe, int>(validators);
        try
        {
            await behavior.Handle(new Probe(null, null), CancellationToken.None, () =>
            {
                called = true;
                return Task.FromResult(1);
            });
            return (called, null);
        }
        catch (InvalidRequestException ex)
        {
            return (called, ex);
        }
    }

    [Fact]
    public async Task Handle_no_validators_calls_the_handler()
    {
        var (called, error) = await RunAsync();

        Assert.True(called);
        Assert.Null(error);
    }

    [Fact]
    public async Task Handle_errors_from_every_validator_are_listed_and_the_handler_is_not_called()
    {
        var (called, error) = await RunAsync(new CodedValidator(("a", ErrorCodes.InvalidRequest)), new CodedValidator(("b", ErrorCodes.InvalidRequest), ("c", ErrorCodes.InvalidRequest)));

        Assert.False(called);
        Assert.NotNull(error);
        Assert.Equal(["a", "b", "c"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public async Task Handle_errors_sharing_a_specific_code_use_that_code()
    {
        var (_, error) = await RunAsync(new CodedValidator(("vectors[0].values", ErrorCodes.DimensionMismatch), ("vectors[1].values", ErrorCodes.DimensionMismatch)));

        Assert.IsType<DimensionMismatchException>(error);
        Assert.Equal(ErrorCodes.DimensionMismatch, error.Code);
        Assert.Equal(2, error.Errors.Count);
    }

    [Fact]
    public async Task Handle_one_filter_error_is_an_invalid_filter_exception()
    {
        var (_, error) = await RunAsync(new CodedValidator(("filter.a.$x", ErrorCodes.InvalidFilter)));

        Assert.IsType<InvalidFilterException>(error);
        Assert.Equal("filter.a.$x", Assert.Single(error.Errors).Path);
    }

    [Fact]
    public async Task Handle_errors_with_different_codes_use_invalid_request()
    {
        var (_, error) = await RunAsync(new CodedValidator(("filter", ErrorCodes.InvalidFilter), ("topK", ErrorCodes.InvalidRequest)));

        Assert.NotNull(error);
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal([ErrorCodes.InvalidFilter, ErrorCodes.InvalidRequest], error.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task Handle_fluent_validation_built_in_codes_become_invalid_request()
    {
        var (_, error) = await RunAsync(new RequiredValidator());

        Assert.NotNull(error);
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.All(error.Errors, e => Assert.Equal(ErrorCodes.InvalidRequest, e.Code));
        Assert.Equal(2, error.Errors.Count);
    }
}
