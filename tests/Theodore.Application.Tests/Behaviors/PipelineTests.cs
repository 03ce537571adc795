using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSubstitute;
using Theodore.Application.Behaviors;
using Theodore.Application.Indexes;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Behaviors;

public sealed class PipelineTests : IDisposable
{
    private readonly StorageFixture _fixture = new StorageFixture().WithIndex();
    private readonly RecordingLoggerFactory _logs = new();

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(_logs);
        services.AddSingleton(_fixture.Storage);
        services.AddSingleton(Substitute.For<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>());
        services.AddSingleton(Substitute.For<Theodore.Application.Embeddings.IEmbeddingGeneratorFactory>());
        services.AddTheodoreApplication();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public void Behaviors_are_registered_logging_outer_then_validation()
    {
        using var provider = Build();
        using var scope = provider.CreateScope();

        var behaviors = scope.ServiceProvider.GetServices<IPipelineBehavior<DescribeIndex, IndexInfo>>().Select(b => b.GetType().GetGenericTypeDefinition());

        Assert.Equal([typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>)], behaviors);
    }

    [Fact]
    public async Task Send_invalid_request_is_logged_as_rejected_so_logging_wraps_validation()
    {
        using var provider = Build();
        using var scope = provider.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        await Assert.ThrowsAsync<InvalidRequestException>(() => mediator.Send(new DescribeIndex("Not Valid")));

        var entry = Assert.Single(_logs.Entries);
        Assert.Equal(1001, entry.EventId.Id);
        Assert.Contains("DescribeIndex", entry.Message, StringComparison.Ordinal);
        Assert.Contains(ErrorCodes.InvalidRequest, entry.Message, StringComparison.Ordinal);
        await _fixture.Storage.DidNotReceiveWithAnyArgs().DescribeIndexAsync(default!, default);
    }

    [Fact]
    public async Task Send_invalid_upsert_reaches_no_handler_and_writes_nothing()
    {
        using var provider = Build();
        using var scope = provider.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            mediator.Send(new UpsertVectors("companies", [new VectorInput("a", [1, 0, 0]), new VectorInput("b", [float.NaN, 0, 0])])));

        Assert.Equal("vectors[1].values[0]", Assert.Single(ex.Errors).Path);
        await _fixture.Storage.DidNotReceiveWithAnyArgs().DescribeIndexAsync(default!, default);
        await _fixture.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Send_success_logs_name_and_duration_but_never_vectors_or_metadata()
    {
        using var provider = Build();
        using var scope = provider.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        await mediator.Send(new UpsertVector("companies", "secret-id", [0.123456f, 0.654321f, 0], Json.Parse("""{"apiKey":"sk-very-secret"}""")));

        var entry = Assert.Single(_logs.Entries);
        Assert.Equal(1000, entry.EventId.Id);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains("UpsertVector succeeded in", entry.Message, StringComparison.Ordinal);
        // the duration is written with three decimals, so only the values' full digits tell a leaked vector apart
        Assert.DoesNotContain("0.123456", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0.654321", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-very-secret", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-id", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_backend_failure_is_logged_as_warning_with_its_code()
    {
        _fixture.Storage.DescribeIndexAsync(default!, default).ReturnsForAnyArgs<IndexInfo>(_ => throw new StorageUnavailableException("down"));
        using var provider = Build();
        using var scope = provider.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => mediator.Send(new DescribeIndex("companies")));

        var entry = Assert.Single(_logs.Entries);
        Assert.Equal(1002, entry.EventId.Id);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains(ErrorCodes.StorageUnavailable, entry.Message, StringComparison.Ordinal);
        Assert.Contains("transient: True", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_unexpected_exception_is_logged_as_error()
    {
        _fixture.Storage.ListIndexesAsync(default).ReturnsForAnyArgs<IReadOnlyList<IndexInfo>>(_ => throw new InvalidOperationException("bug"));
        using var provider = Build();
        using var scope = provider.CreateScope();

        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ListIndexes()));

        Assert.Equal(LogLevel.Error, Assert.Single(_logs.Entries).Level);
    }

    [Fact]
    public async Task Send_cancelled_is_logged_as_cancelled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        _fixture.Storage.ListIndexesAsync(default).ReturnsForAnyArgs<IReadOnlyList<IndexInfo>>(_ => throw new OperationCanceledException(cts.Token));
        using var provider = Build();
        using var scope = provider.CreateScope();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ListIndexes(), cts.Token));

        Assert.Equal(1003, Assert.Single(_logs.Entries).EventId.Id);
    }

    [Fact]
    public void LogEvents_stay_in_the_application_range()
    {
        var ids = typeof(LoggingBehavior<,>).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
            .Select(m => m.GetCustomAttributes(typeof(LoggerMessageAttribute), false).Cast<LoggerMessageAttribute>().SingleOrDefault())
            .Where(a => a is not null)
            .Select(a => a!.EventId)
            .ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.InRange(id, 1000, 1099));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
