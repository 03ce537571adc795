using System.Net;
using System.Text.Json;

namespace Theodore.Api.Tests.Endpoints;

/// <summary>
/// One broken rule gets one answer: the same status, code, paths and codes per error on every path that can meet it
/// (one record, a batch, a query) and on every backend. Each violation runs through the API on Mock and on Native.
/// </summary>
public sealed class SameViolationSameAnswerTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "theodore-violations-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string, string, string, HttpStatusCode, string, string[]> Violations => new()
    {
        { "dimension, one record", "PUT", """{"values":[1,0]}""", HttpStatusCode.BadRequest, "dimension_mismatch", ["values"] },
        { "dimension, batch", "UPSERT", """{"vectors":[{"id":"a","values":[1,0]},{"id":"b","values":[1,0,0,0]}]}""", HttpStatusCode.BadRequest, "dimension_mismatch", ["vectors[0].values", "vectors[1].values"] },
        { "dimension, query", "QUERY", """{"vector":[1,0],"topK":1}""", HttpStatusCode.BadRequest, "dimension_mismatch", ["vector"] },
        { "zero vector, one record", "PUT", """{"values":[0,0,0]}""", HttpStatusCode.BadRequest, "invalid_request", ["values"] },
        { "zero vector, batch", "UPSERT", """{"vectors":[{"id":"a","values":[0,0,0]}]}""", HttpStatusCode.BadRequest, "invalid_request", ["vectors[0].values"] },
        { "zero vector, query", "QUERY", """{"vector":[0,0,0],"topK":1}""", HttpStatusCode.BadRequest, "invalid_request", ["vector"] },
        { "not unit length, one record", "PUT", """{"values":[3,4,0]}""", HttpStatusCode.Conflict, "embedding_contract_violation", ["values"] },
        { "not unit length, batch", "UPSERT", """{"vectors":[{"id":"a","values":[0.6,0.8,0]},{"id":"b","values":[3,4,0]}]}""", HttpStatusCode.Conflict, "embedding_contract_violation", ["vectors[1].values"] },
        { "non-finite, one record", "PUT", """{"values":[1,"NaN",0]}""", HttpStatusCode.BadRequest, "invalid_request", ["values[1]"] },
        { "non-finite, batch", "UPSERT", """{"vectors":[{"id":"a","values":[1,0,"Infinity"]}]}""", HttpStatusCode.BadRequest, "invalid_request", ["vectors[0].values[2]"] },
        { "non-finite, query", "QUERY", """{"vector":["NaN",0,0],"topK":1}""", HttpStatusCode.BadRequest, "invalid_request", ["vector[0]"] },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Violation_gets_the_same_answer_on_Mock_and_Native(string name, string path, string body, HttpStatusCode status, string code, string[] paths)
    {
        var answers = new List<string>();
        foreach (var provider in new[] { "Mock", "Native" })
        {
            using var factory = new TheodoreApiFactory(new Dictionary<string, string?>
            {
                ["VectorStorage:Provider"] = provider,
                ["VectorStorage:Native:DataPath"] = Path.Combine(_dataPath, provider),
            });
            using var client = factory.CreateClient();
            using (var created = await client.PostJsonAsync("/v1/indexes", """{"name":"unit","dimension":3,"metric":"cosine","embedding":{"model":"m","version":"1","normalize":true}}"""))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            using var response = path switch
            {
                "PUT" => await client.PutAsync(new Uri("/v1/indexes/unit/vectors/x", UriKind.Relative), Json(body)),
                "UPSERT" => await client.PostJsonAsync("/v1/indexes/unit/vectors/upsert", body),
                _ => await client.PostJsonAsync("/v1/indexes/unit/query", body),
            };
            var problem = await response.AssertProblemAsync(status, code);
            Assert.Equal(paths, problem.ErrorPaths());
            answers.Add($"{(int)response.StatusCode} {problem.GetProperty("code").GetString()} {string.Join(",", problem.ErrorPaths())} {string.Join(",", problem.ErrorCodes())}");

            using var count = await client.GetAsync(new Uri("/v1/indexes/unit/stats", UriKind.Relative));
            using var stats = JsonDocument.Parse(await count.Content.ReadAsStringAsync());
            Assert.True(stats.RootElement.GetProperty("totalVectors").GetInt64() == 0, $"{name} on {provider} wrote something");
        }

        Assert.Equal(answers[0], answers[1]);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
