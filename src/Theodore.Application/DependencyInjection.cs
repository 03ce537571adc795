using FluentValidation;
using MediatR;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Theodore.Application.Backups;
using Theodore.Application.Behaviors;
using Theodore.Application.Companies;
using Theodore.Application.Health;
using Theodore.Application.Indexes;
using Theodore.Application.Maintenance;
using Theodore.Application.Operations;
using Theodore.Application.Query;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Domain.Operations;

namespace Theodore.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the mediator, every use-case handler and validator (by hand, so the list reads as the catalogue of
    /// use cases; a test fails when one is missing) and the pipeline behaviors in order, outermost first.
    /// Needs from the host: an <see cref="Core.Ports.IVectorStorage"/>, the embedding generator and an
    /// <see cref="Embeddings.IEmbeddingGeneratorFactory"/> (the companies use cases), and logging.
    /// </summary>
    public static IServiceCollection AddTheodoreApplication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // null for an unregistered handler is expected: MediatR turns it into an error naming the request type
        services.AddScoped<ServiceFactory>(sp => sp.GetService);
        services.AddScoped<IMediator, Mediator>();

        // MediatR 5 wraps the handler in behaviors in registration order: the first registered runs outermost
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));

        services.AddTransient<IRequestHandler<CreateIndex, IndexInfo>, CreateIndexHandler>();
        services.AddTransient<IRequestHandler<ListIndexes, ListIndexesResult>, ListIndexesHandler>();
        services.AddTransient<IRequestHandler<DescribeIndex, IndexInfo>, DescribeIndexHandler>();
        services.AddTransient<IRequestHandler<DeleteIndex, Unit>, DeleteIndexHandler>();
        services.AddTransient<IRequestHandler<GetIndexStats, IndexStats>, GetIndexStatsHandler>();
        services.AddTransient<IRequestHandler<CheckIndexIntegrity, IntegrityReport>, CheckIndexIntegrityHandler>();

        services.AddTransient<IRequestHandler<UpsertVector, UpsertVectorsResult>, UpsertVectorHandler>();
        services.AddTransient<IRequestHandler<UpsertVectors, UpsertVectorsResult>, UpsertVectorsHandler>();
        services.AddTransient<IRequestHandler<FetchVectors, FetchVectorsResult>, FetchVectorsHandler>();
        services.AddTransient<IRequestHandler<GetVector, VectorRecord>, GetVectorHandler>();
        services.AddTransient<IRequestHandler<DeleteVector, Unit>, DeleteVectorHandler>();
        services.AddTransient<IRequestHandler<DeleteVectors, DeleteVectorsResult>, DeleteVectorsHandler>();
        services.AddTransient<IRequestHandler<ListVectors, RecordPage>, ListVectorsHandler>();

        services.AddTransient<IRequestHandler<ApplyOperations, OperationBatchResult>, ApplyOperationsHandler>();
        services.AddTransient<IRequestHandler<SoftDeleteVector, RecordOperationResult>, SoftDeleteVectorHandler>();
        services.AddTransient<IRequestHandler<RestoreVector, RecordOperationResult>, RestoreVectorHandler>();
        services.AddTransient<IRequestHandler<SetVectorExpiry, VectorExpiry>, SetVectorExpiryHandler>();
        services.AddTransient<IRequestHandler<CompactIndex, CompactionResult>, CompactIndexHandler>();
        services.AddTransient<IRequestHandler<StartRebuild, RebuildStatus>, StartRebuildHandler>();
        services.AddTransient<IRequestHandler<GetRebuildStatus, RebuildStatus>, GetRebuildStatusHandler>();

        services.AddTransient<IRequestHandler<QueryByVector, SearchResult>, QueryByVectorHandler>();
        services.AddTransient<IRequestHandler<QueryById, SearchResult>, QueryByIdHandler>();
        services.AddTransient<IRequestHandler<EstimateQuery, QueryEstimateResult>, EstimateQueryHandler>();

        services.AddTransient<IRequestHandler<CreateBackup, BackupInfo>, CreateBackupHandler>();
        services.AddTransient<IRequestHandler<ListBackups, ListBackupsResult>, ListBackupsHandler>();
        services.AddTransient<IRequestHandler<GetBackup, BackupInfo>, GetBackupHandler>();
        services.AddTransient<IRequestHandler<DeleteBackup, Unit>, DeleteBackupHandler>();
        services.AddTransient<IRequestHandler<RestoreBackup, RestoredIndex>, RestoreBackupHandler>();
        services.AddTransient<IRequestHandler<PruneBackups, BackupPruneResult>, PruneBackupsHandler>();

        services.AddTransient<IRequestHandler<GetHealth, StorageHealth>, GetHealthHandler>();

        services.AddTransient<IRequestHandler<PutCompany, CompanyWriteOutcome>, PutCompanyHandler>();
        services.AddTransient<IRequestHandler<GetCompany, Core.Domain.Companies.Company>, GetCompanyHandler>();
        services.AddTransient<IRequestHandler<DeleteCompany, Unit>, DeleteCompanyHandler>();
        services.AddTransient<IRequestHandler<ImportCompanies, CompanyImportSummary>, ImportCompaniesHandler>();
        services.AddTransient<IRequestHandler<FindSimilarCompanies, SimilarCompanies>, FindSimilarCompaniesHandler>();
        services.AddTransient<IRequestHandler<SearchCompanies, IReadOnlyList<CompanyMatch>>, SearchCompaniesHandler>();
        services.AddTransient<IRequestHandler<GetCompanyStatistics, CompanyStatistics>, GetCompanyStatisticsHandler>();
        services.AddTransient<IRequestHandler<StartReembed, ReembedStatus>, StartReembedHandler>();
        services.AddTransient<IRequestHandler<GetReembedStatus, ReembedStatus>, GetReembedStatusHandler>();

        // the companies index and its generator: one binding per process, the generator asked for only when needed
        services.TryAddSingleton(new QueryDefaults());
        services.TryAddSingleton(new CompaniesOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new CompanyIndex(
            sp.GetRequiredService<Core.Ports.IVectorStorage>(),
            sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>,
            sp.GetRequiredService<CompaniesOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IIndexChangeListener>(sp => sp.GetRequiredService<CompanyIndex>());
        services.AddSingleton<CompanyReembedder>();
        services.AddSingleton<IndexMaintenance>();

        // validators are stateless once built, and building one compiles its rules: one instance each
        services.AddSingleton<IValidator<CreateIndex>, CreateIndexValidator>();
        services.AddSingleton<IValidator<CreateBackup>, CreateBackupValidator>();
        services.AddSingleton<IValidator<RestoreBackup>, RestoreBackupValidator>();
        services.AddSingleton<IValidator<PruneBackups>, PruneBackupsValidator>();
        services.AddSingleton<IValidator<CompactIndex>, CompactIndexValidator>();
        services.AddSingleton<IValidator<StartRebuild>, StartRebuildValidator>();
        services.AddSingleton<IValidator<GetRebuildStatus>, GetRebuildStatusValidator>();
        return services;
    }
}
