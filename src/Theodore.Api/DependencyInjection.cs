using Microsoft.AspNetCore.Http.Json;
using Theodore.Adapters.Embeddings;
using Theodore.Adapters.Mock;
using Theodore.Adapters.Native;
using Theodore.Adapters.Pinecone;
using Theodore.Adapters.Qdrant;
using Theodore.Api.Contracts;
using Theodore.Api.Errors;
using Theodore.Api.Health;
using Theodore.Api.Hosting;
using Theodore.Infrastructure;
using Theodore.Infrastructure.Decorators;

namespace Theodore.Api;

/// <summary>The composition root's table of contents: storage, HTTP concerns, and the middleware order.</summary>
public static class DependencyInjection
{
    /// <summary>The provider chosen by configuration, opened before the server accepts requests.</summary>
    public static IServiceCollection AddTheodoreStorage(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddTheodoreVectorStorage(configuration, providers => providers
                .Add<NativeVectorStorage>("Native", static s => s.AddNativeVectorStorage())
                .Add<QdrantVectorStorage>("Qdrant", static s => s.AddQdrantVectorStorage())
                .Add<PineconeVectorStorage>("Pinecone", static s => s.AddPineconeVectorStorage())
                .Add<MockVectorStorage>("Mock", static s => s.AddMockVectorStorage()),
                DecorateStorage)
            .AddTheodoreDecorators()
            .AddHostedService<StorageOpener>()
            .AddTheodoreMaintenance();

    /// <summary>The background expiry sweep and compaction by policy (<c>Maintenance</c>), after the storage is open.</summary>
    private static IServiceCollection AddTheodoreMaintenance(this IServiceCollection services)
    {
        services.AddOptions<MaintenanceOptions>()
            .BindConfiguration(MaintenanceOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(static o => o.Compaction.MinDeletedRatio is > 0 and <= 1, "Maintenance:Compaction:MinDeletedRatio must be in (0, 1].")
            .ValidateOnStart();
        services.AddHostedService<MaintenanceService>();
        return services;
    }

    /// <summary>The decorators from <c>VectorStorage:Decorators</c>, in ADR 0003's order (docs/operations.md lists the defaults per provider).</summary>
    private static void DecorateStorage(Infrastructure.Composition.VectorStorageBuilder builder) => builder.UseTheodoreDecorators();

    /// <summary>
    /// The embedding generator (<c>Embeddings</c>) and the companies index it fills (<c>Companies</c>), checked against
    /// each other before the server accepts requests. Call after <see cref="AddTheodoreStorage"/>: the check needs the
    /// storage open.
    /// </summary>
    public static IServiceCollection AddTheodoreCompanies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTheodoreEmbeddings(configuration);
        services.AddSingleton<Application.Embeddings.IEmbeddingGeneratorFactory, EmbeddingGeneratorFactoryBridge>();
        services.AddSingleton(configuration.GetSection(Application.Companies.CompaniesOptions.SectionName).Get<Application.Companies.CompaniesOptions>() ?? new());
        services.AddHostedService<CompanyIndexCheck>();
        return services;
    }

    public static IServiceCollection AddTheodoreApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>()
            .BindConfiguration(ApiOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Keys.All(k => k.Name.Length > 0 && k.Key.Length >= 16), "Every Api:Keys entry needs a Name and a Key of at least 16 characters.")
            .ValidateOnStart();
        services.AddSingleton(sp => QueryDefaultsOf(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value));

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("code", ApiErrorCodes.ForStatus(context.ProblemDetails.Status ?? 500));
            context.ProblemDetails.Type = ProblemWriter.TypeFor((string)context.ProblemDetails.Extensions["code"]!);
            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
        });
        services.AddSingleton<ProblemWriter>();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            // "topK": "10" is a client bug, not a number; the web defaults would accept it silently
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        services.AddTheodoreRateLimiting();
        services.AddOpenApi("v1");
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    /// <summary>Middleware in the order a request meets it, then the endpoints.</summary>
    public static WebApplication UseTheodoreApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseMiddleware<Security.ApiKeyMiddleware>();
        app.UseTheodoreRateLimiting();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "Theodore v1");
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "Theodore API";
        });
        app.MapTheodoreHealth();
        app.MapTheodoreMetrics();
        Endpoints.V1Endpoints.MapTheodoreV1(app);
        return app;
    }

    // Api:DefaultQueryTimeoutMs for the query use cases; 0 leaves searches without a default deadline (ADR 0013)
    private static Application.Query.QueryDefaults QueryDefaultsOf(ApiOptions options) =>
        options.DefaultQueryTimeoutMs > 0 ? new(TimeSpan.FromMilliseconds(options.DefaultQueryTimeoutMs)) : new();
}
