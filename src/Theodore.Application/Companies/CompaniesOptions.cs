using Theodore.Core.Domain;

namespace Theodore.Application.Companies;

/// <summary>The <c>Companies</c> section: where companies live and how they are written.</summary>
public sealed class CompaniesOptions
{
    public const string SectionName = "Companies";

    /// <summary>The companies index. After a re-embed the records live in <c>{Index}-r{n}</c>; the catalog says which.</summary>
    public string Index { get; set; } = "companies";

    /// <summary>Companies embedded and written together by an import or a re-embed (one generator call, one storage call).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>
    /// How long a checked index stays trusted before the next request describes it again, so an index replaced by
    /// another process is noticed. Changes made through this API are noticed at once.
    /// </summary>
    public int RevalidateSeconds { get; set; } = 30;

    internal IndexName IndexName => Core.Domain.IndexName.Parse(Index);
}
