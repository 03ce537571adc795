using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Companies;

/// <summary>
/// Which physical index holds the companies after a re-embed, kept in the storage itself so every backend (and every
/// API instance on a shared backend) agrees and a restart finds it: one record per logical name in the one-dimensional
/// index <c>theodore-catalog</c>, created by the first switch. No record means the logical name itself.
/// </summary>
internal sealed class CompanyCatalog(IVectorStorage storage, IndexName logical)
{
    public const string ActiveField = "active";

    public static readonly IndexName CatalogIndex = IndexName.Parse("theodore-catalog");

    private static readonly ReadOnlyMemory<float> Point = new[] { 1f };

    private readonly VectorId _key = VectorId.Parse(logical.Value);

    public async Task<IndexName?> ReadActiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            var record = await storage.GetAsync(CatalogIndex, _key, cancellationToken: cancellationToken).ConfigureAwait(false);
            return record?.Metadata.TryGetValue(ActiveField, out var value) == true && value.Kind == MetadataValueKind.String
                ? IndexName.Parse(value.AsString)
                : null;
        }
        catch (IndexNotFoundException)
        {
            return null;
        }
    }

    public async Task WriteActiveAsync(IndexName active, CancellationToken cancellationToken)
    {
        var record = new VectorRecord(_key, Point, Metadata.Create([new(ActiveField, active.Value)]));
        try
        {
            await storage.UpsertAsync(CatalogIndex, record, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IndexNotFoundException)
        {
            try
            {
                await storage.CreateIndexAsync(new IndexDefinition(CatalogIndex, 1, DistanceMetric.Euclidean), cancellationToken).ConfigureAwait(false);
            }
            catch (IndexAlreadyExistsException)
            {
                // another instance made it first
            }

            await storage.UpsertAsync(CatalogIndex, record, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
