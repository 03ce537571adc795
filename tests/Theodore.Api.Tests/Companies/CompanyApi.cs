using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Theodore.Application.Embeddings;

namespace Theodore.Api.Tests.Companies;

/// <summary>
/// The API in process with a word-hash generator in place of the model (fast, deterministic) and a factory of them
/// for re-embeds. On the Native engine in a temporary directory when <c>dataPath</c> is given, so restarts can be tested.
/// </summary>
internal sealed class CompanyApi : IDisposable
{
    private readonly TheodoreApiFactory _root;

    public CompanyApi(string model = "hash-a", string? dataPath = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        Generator = new WordHashEmbeddings(model);
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Embeddings:Local:WarmUp"] = "false" };
        if (dataPath is not null)
        {
            all["VectorStorage:Provider"] = "Native";
            all["VectorStorage:Native:DataPath"] = dataPath;
        }

        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        _root = new TheodoreApiFactory(all);
        Factory = _root.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<IEmbeddingGenerator<string, Embedding<float>>>();
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(Generator);
            services.RemoveAll<IEmbeddingGeneratorFactory>();
            services.AddSingleton<IEmbeddingGeneratorFactory>(Generators);
        }));
    }

    public WordHashEmbeddings Generator { get; }

    public WordHashFactory Generators { get; } = new();

    public WebApplicationFactory<Program> Factory { get; }

    public HttpClient CreateClient() => Factory.CreateClient();

    public void Dispose()
    {
        Factory.Dispose();
        _root.Dispose();
    }
}
