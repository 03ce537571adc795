using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Errors;

public sealed class ErrorTests
{
    private static readonly (VectorStorageException Error, string Code, bool Transient)[] Table =
    [
        (new VectorStorageException("backend said no"), ErrorCodes.BackendError, false),
        (new InvalidRequestException("bad"), ErrorCodes.InvalidRequest, false),
        (new QueryTooCostlyException("too costly"), ErrorCodes.QueryTooCostly, false),
        (new DimensionMismatchException(3, 2), ErrorCodes.DimensionMismatch, false),
        (new InvalidFilterException("filter.a", "bad"), ErrorCodes.InvalidFilter, false),
        (new IndexNotFoundException("companies"), ErrorCodes.IndexNotFound, false),
        (new IndexAlreadyExistsException("companies"), ErrorCodes.IndexAlreadyExists, false),
        (new RecordNotFoundException("companies", "acme"), ErrorCodes.RecordNotFound, false),
        (new BackupNotFoundException("20261121T075306123Z-3fa9c1"), ErrorCodes.BackupNotFound, false),
        (new BackupDamagedException("a file does not match its checksum"), ErrorCodes.BackupDamaged, false),
        (new EmbeddingContractViolationException("other model"), ErrorCodes.EmbeddingContractViolation, false),
        (new UnsupportedFilterException("no $contains"), ErrorCodes.UnsupportedFilter, false),
        (new UnsupportedOperationException("no offset"), ErrorCodes.UnsupportedOperation, false),
        (new CapacityExceededException("full"), ErrorCodes.CapacityExceeded, false),
        (new StorageUnavailableException("down"), ErrorCodes.StorageUnavailable, true),
        (new RateLimitedException("slow down"), ErrorCodes.RateLimited, true),
        (new CircuitOpenException("open"), ErrorCodes.CircuitOpen, true),
        (new StorageBusyException("busy"), ErrorCodes.StorageBusy, true),
        (new StorageTimeoutException("late"), ErrorCodes.Timeout, true),
    ];

    [Fact]
    public void Every_exception_type_has_its_code_and_transience()
    {
        foreach (var (error, code, transient) in Table)
        {
            Assert.True(code == error.Code, $"{error.GetType().Name}: code {error.Code}, expected {code}");
            Assert.True(transient == error.IsTransient, $"{error.GetType().Name}: IsTransient {error.IsTransient}");
        }
    }

    [Fact]
    public void Every_exception_type_in_core_is_in_the_table()
    {
        var types = typeof(VectorStorageException).Assembly.GetTypes()
            .Where(t => typeof(VectorStorageException).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(types, Table.Select(t => t.Error.GetType().Name).Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    [Fact]
    public void Every_exception_type_keeps_its_code_through_every_constructor()
    {
        var inner = new InvalidOperationException("inner");
        foreach (var type in Table.Select(t => t.Error.GetType()))
        {
            var code = Table.Single(t => t.Error.GetType() == type).Code;
            var parameterless = (VectorStorageException)Activator.CreateInstance(type)!;
            var withInner = (VectorStorageException)Activator.CreateInstance(type, "message", inner)!;

            Assert.False(string.IsNullOrEmpty(parameterless.Message), type.Name);
            Assert.Same(inner, withInner.InnerException);
            Assert.Equal("message", withInner.Message);
            Assert.True(code == parameterless.Code && code == withInner.Code, $"{type.Name}: {parameterless.Code} / {withInner.Code}");
            if (withInner is InvalidRequestException invalid)
            {
                Assert.Equal(code, Assert.Single(invalid.Errors).Code);
            }
        }
    }

    [Fact]
    public void Transient_errors_are_exactly_the_five_that_may_succeed_later()
    {
        var transient = Table.Where(t => t.Error.IsTransient).Select(t => t.Error.GetType()).ToHashSet();

        Assert.Equal(
            new HashSet<Type> { typeof(StorageUnavailableException), typeof(RateLimitedException), typeof(CircuitOpenException), typeof(StorageBusyException), typeof(StorageTimeoutException) },
            transient);
    }

    [Fact]
    public void Context_properties_are_kept()
    {
        var ex = new RateLimitedException("slow down")
        {
            SystemName = "qdrant",
            Index = "companies",
            Operation = "search",
            RetryAfter = TimeSpan.FromSeconds(3),
        };

        Assert.Equal("qdrant", ex.SystemName);
        Assert.Equal("companies", ex.Index);
        Assert.Equal("search", ex.Operation);
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
    }

    [Fact]
    public void Not_found_errors_name_the_index_and_record()
    {
        var index = new IndexNotFoundException("companies");
        var record = new RecordNotFoundException("companies", "acme");

        Assert.Equal("companies", index.Index);
        Assert.Contains("'companies'", index.Message, StringComparison.Ordinal);
        Assert.Equal("companies", record.Index);
        Assert.Contains("'acme'", record.Message, StringComparison.Ordinal);
        Assert.Equal("companies", new IndexAlreadyExistsException("companies").Index);
    }

    [Fact]
    public void InvalidRequest_message_with_one_error_names_path_and_problem()
    {
        var ex = new InvalidRequestException("vectors[2].id", "an id is required");

        Assert.Equal("vectors[2].id: an id is required", ex.Message);
        var error = Assert.Single(ex.Errors);
        Assert.Equal(new RequestError("vectors[2].id", ErrorCodes.InvalidRequest, "an id is required"), error);
    }

    [Fact]
    public void InvalidRequest_message_without_path_is_the_problem()
    {
        Assert.Equal("something is off", new InvalidRequestException("something is off").Message);
    }

    [Fact]
    public void InvalidRequest_message_with_several_errors_counts_them_and_names_the_first()
    {
        var ex = new InvalidRequestException([
            new RequestError("a", ErrorCodes.InvalidRequest, "first"),
            new RequestError("b", ErrorCodes.InvalidRequest, "second"),
            new RequestError("c", ErrorCodes.InvalidRequest, "third"),
        ]);

        Assert.Equal("The request has 3 errors; the first is a: first", ex.Message);
        Assert.Equal(3, ex.Errors.Count);
    }

    [Fact]
    public void InvalidRequest_without_errors_has_a_generic_message()
    {
        var ex = new InvalidRequestException();

        Assert.Equal("The request is invalid.", ex.Message);
        Assert.Empty(ex.Errors);
    }

    [Fact]
    public void InvalidRequest_with_inner_exception_still_lists_an_error()
    {
        var ex = new InvalidRequestException("bad body", new FormatException());

        Assert.Equal("bad body", Assert.Single(ex.Errors).Message);
    }

    [Fact]
    public void DimensionMismatch_is_an_invalid_request_with_the_expected_dimension()
    {
        InvalidRequestException ex = new DimensionMismatchException(384, 512, "query");

        var mismatch = Assert.IsType<DimensionMismatchException>(ex);
        Assert.Equal(384, mismatch.Expected);
        var error = Assert.Single(ex.Errors);
        Assert.Equal("query", error.Path);
        Assert.Equal(ErrorCodes.DimensionMismatch, error.Code);
        Assert.Contains("expected 384 dimensions, got 512", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidFilter_is_an_invalid_request_whose_errors_carry_the_filter_code()
    {
        InvalidRequestException ex = new InvalidFilterException("filter.$or[1].founded.$gte", "compares with a number");

        Assert.Equal(ErrorCodes.InvalidFilter, ex.Code);
        Assert.Equal(ErrorCodes.InvalidFilter, Assert.Single(ex.Errors).Code);
        Assert.Equal("filter.$or[1].founded.$gte: compares with a number", ex.Message);
    }
}
