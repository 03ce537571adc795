using Theodore.Core.Domain;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>A cached search result with the exact request it answers, compared on every hit (the cache key is only its hash).</summary>
internal sealed record CachedSearch(byte[] Request, SearchResult Result);
