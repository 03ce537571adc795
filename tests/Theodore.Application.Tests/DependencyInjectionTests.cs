using System.Reflection;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Theodore.Application.Health;
using Theodore.Application.Indexes;
using Theodore.Application.Query;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests;

public sealed class DependencyInjectionTests
{
    private static readonly Assembly Application = typeof(DependencyInjection).Assembly;

    private static ServiceProvider Build(IVectorStorage storage)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(storage);
        services.AddSingleton(Substitute.For<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>());
        services.AddSingleton(Substitute.For<Theodore.Application.Embeddings.IEmbeddingGeneratorFactory>());
        services.AddTheodoreApplication();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static IEnumerable<Type> Implementations(Type openInterface) =>
        Application.GetTypes().Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false }
            && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface));

    public sealed record Unregistered : IRequest<int>;

    [Fact]
    public async Task Send_request_without_handler_fails_naming_it()
    {
        await using var provider = Build(new StorageFixture().Storage);
        using var scope = provider.CreateScope();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Unregistered()));

        Assert.Contains(nameof(Unregistered), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTheodoreApplication_registers_every_handler_in_the_assembly()
    {
        var services = new ServiceCollection().AddTheodoreApplication();
        var registered = services.Where(d => d.ImplementationType is not null).Select(d => d.ImplementationType!).ToHashSet();

        var handlers = Implementations(typeof(IRequestHandler<,>)).ToList();

        Assert.Equal(39, handlers.Count);
        Assert.All(handlers, h => Assert.Contains(h, registered));
    }

    [Fact]
    public void AddTheodoreApplication_registers_every_validator_in_the_assembly()
    {
        var services = new ServiceCollection().AddTheodoreApplication();
        var registered = services.Where(d => d.ImplementationType is not null).Select(d => d.ImplementationType!).ToHashSet();

        var validators = Implementations(typeof(IValidator<>)).ToList();

        Assert.NotEmpty(validators);
        Assert.All(validators, v => Assert.Contains(v, registered));
    }

    [Fact]
    public void Every_request_with_raw_input_has_a_validator_or_parses_itself()
    {
        var requests = Application.GetTypes().Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>)));
        var provider = Build(new StorageFixture().Storage);

        var withoutValidator = requests
            .Where(r => r.GetProperties().Length > 0)
            .Where(r => provider.GetService(typeof(IValidator<>).MakeGenericType(r)) is null)
            .Where(r => !r.GetMethods(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic).Any(m => m.Name == "Parse"))
            .Where(r => r != typeof(Theodore.Application.Companies.ImportCompanies)) // its items are parsed one by one (CompanyInput.Parse), each failing alone
            .Where(r => r != typeof(Theodore.Application.Query.EstimateQuery)) // parses in its handler and answers valid:false with every error instead of refusing
            .Select(r => r.Name);

        Assert.Empty(withoutValidator);
    }

    [Fact]
    public async Task Send_every_use_case_reaches_its_handler()
    {
        var fixture = new StorageFixture(batch: true, streaming: true).WithIndex();
        fixture.Storage.ListIndexesAsync(default).ReturnsForAnyArgs(new List<IndexInfo>());
        fixture.Storage.CreateIndexAsync(default!, default).ReturnsForAnyArgs(StorageFixture.Info());
        fixture.Storage.GetStatsAsync(default!, default).ReturnsForAnyArgs(new IndexStats(0, 3, DistanceMetric.Cosine, null, new Dictionary<string, long>(), new Dictionary<string, long>(), null, null));
        fixture.Storage.GetAsync(default!, default!, default, default).ReturnsForAnyArgs(new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0, 0 }));
        fixture.Storage.DeleteAsync(default!, default!, default, default).ReturnsForAnyArgs(true);
        fixture.Storage.SearchAsync(default!, default, default!, default).ReturnsForAnyArgs(new SearchResult([], false, TimeSpan.Zero));
        fixture.Storage.SearchByIdAsync(default!, default!, default!, default).ReturnsForAnyArgs(new SearchResult([], false, TimeSpan.Zero));
        fixture.Storage.CheckHealthAsync(default).ReturnsForAnyArgs(new StorageHealth(HealthStatus.Healthy, "test"));
        fixture.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(BatchResult.AllSucceeded(1));
        fixture.Batch.GetManyAsync(default!, default!, default, default).ReturnsForAnyArgs(new List<VectorRecord>());
        fixture.Batch.DeleteAllAsync(default!, default, default).ReturnsForAnyArgs(4L);
        fixture.Streaming.ListAsync(default!, default!, default).ReturnsForAnyArgs(new RecordPage([], null));
        await using var provider = Build(fixture.Storage);
        using var scope = provider.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var options = new QueryOptions(3);

        Assert.NotNull(await mediator.Send(new CreateIndex("companies", 3, "cosine")));
        Assert.NotNull(await mediator.Send(new ListIndexes()));
        Assert.NotNull(await mediator.Send(new DescribeIndex("companies")));
        Assert.Equal(0, (await mediator.Send(new GetIndexStats("companies"))).TotalVectors);
        Assert.Equal(Unit.Value, await mediator.Send(new DeleteIndex("companies")));
        Assert.Equal(1, (await mediator.Send(new UpsertVector("companies", "a", [1, 0, 0]))).UpsertedCount);
        Assert.Equal(1, (await mediator.Send(new UpsertVectors("companies", [new VectorInput("a", [1, 0, 0])]))).UpsertedCount);
        Assert.Empty((await mediator.Send(new FetchVectors("companies", ["a"]))).Vectors);
        Assert.Equal("a", (await mediator.Send(new GetVector("companies", "a"))).Id.Value);
        Assert.Equal(Unit.Value, await mediator.Send(new DeleteVector("companies", "a")));
        Assert.Equal(4, (await mediator.Send(new DeleteVectors("companies", DeleteAll: true))).DeletedCount);
        Assert.Null((await mediator.Send(new ListVectors("companies"))).NextCursor);
        Assert.False((await mediator.Send(new QueryByVector("companies", [1, 0, 0], options))).Approximate);
        Assert.False((await mediator.Send(new QueryById("companies", "a", options))).Approximate);
        Assert.Equal(HealthStatus.Healthy, (await mediator.Send(new GetHealth())).Status);
        // the fixture's storage has no integrity port: reaching the handler is what raises this
        await Assert.ThrowsAsync<Core.Errors.UnsupportedOperationException>(() => mediator.Send(new CheckIndexIntegrity("companies")));
    }
}
