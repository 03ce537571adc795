using System.Text.Json;

namespace Theodore.Api.Tests.Endpoints;

public sealed class OpenApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static TheoryData<string, string, string, string?, string> Operations => new()
    {
        { "post", "/v1/indexes", "CreateIndex", "CreateIndexRequest", "201" },
        { "get", "/v1/indexes", "ListIndexes", null, "200" },
        { "get", "/v1/indexes/{index}", "DescribeIndex", null, "200" },
        { "delete", "/v1/indexes/{index}", "DeleteIndex", null, "204" },
        { "get", "/v1/indexes/{index}/stats", "GetIndexStats", null, "200" },
        { "post", "/v1/indexes/{index}/vectors/upsert", "UpsertVectors", "UpsertVectorsRequest", "200" },
        { "put", "/v1/indexes/{index}/vectors/{id}", "UpsertVector", "PutVectorRequest", "200" },
        { "get", "/v1/indexes/{index}/vectors/{id}", "GetVector", null, "200" },
        { "delete", "/v1/indexes/{index}/vectors/{id}", "DeleteVector", null, "204" },
        { "post", "/v1/indexes/{index}/vectors/fetch", "FetchVectors", "FetchVectorsRequest", "200" },
        { "post", "/v1/indexes/{index}/vectors/delete", "DeleteVectors", "DeleteVectorsRequest", "200" },
        { "get", "/v1/indexes/{index}/vectors", "ListVectors", null, "200" },
        { "post", "/v1/indexes/{index}/query", "Query", "QueryRequest", "200" },
        { "post", "/v1/backups", "CreateBackup", "CreateBackupRequest", "201" },
        { "get", "/v1/backups", "ListBackups", null, "200" },
        { "get", "/v1/backups/{backup}", "GetBackup", null, "200" },
        { "delete", "/v1/backups/{backup}", "DeleteBackup", null, "204" },
        { "post", "/v1/backups/{backup}/restore", "RestoreBackup", "RestoreBackupRequest", "201" },
        { "post", "/v1/backups/prune", "PruneBackups", "PruneBackupsRequest", "200" },
    };

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await api.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement.Clone();

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_is_named_tagged_and_documents_its_schemas(string method, string path, string name, string? requestSchema, string successStatus)
    {
        var operation = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Equal(name, operation.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
        Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
        var responses = operation.GetProperty("responses");
        Assert.True(responses.TryGetProperty(successStatus, out var success), $"{name} documents no {successStatus}");
        if (successStatus != "204")
        {
            Assert.True(success.GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _), $"{name} has no response schema");
        }

        Assert.True(responses.TryGetProperty("400", out var problem) || method == "get" && path == "/v1/indexes", $"{name} documents no 400");
        if (requestSchema is not null)
        {
            var schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            // An optional body (POST /v1/backups) is documented as "null or the request schema".
            var reference = schema.TryGetProperty("oneOf", out var alternatives)
                ? alternatives.EnumerateArray().Single(a => a.TryGetProperty("$ref", out _))
                : schema;
            Assert.EndsWith("/" + requestSchema, reference.GetProperty("$ref").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("MatchResponse", "distance")]
    [InlineData("MatchResponse", "values")]
    [InlineData("MatchResponse", "metadata")]
    [InlineData("VectorResponse", "values")]
    [InlineData("IndexInfoResponse", "embedding")]
    [InlineData("IndexInfoResponse", "createdAt")]
    public async Task Fields_left_out_when_empty_are_not_required(string schemaName, string property)
    {
        var schema = (await DocumentAsync()).GetProperty("components").GetProperty("schemas").GetProperty(schemaName);

        Assert.True(schema.GetProperty("properties").TryGetProperty(property, out _), $"{schemaName} does not describe {property}");
        var required = schema.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()).ToList() : [];
        Assert.DoesNotContain(property, required);
    }

    [Fact]
    public async Task Metric_is_documented_as_a_string()
    {
        var schema = (await DocumentAsync()).GetProperty("components").GetProperty("schemas").GetProperty("IndexInfoResponse");

        Assert.Contains("string", schema.GetProperty("properties").GetProperty("metric").GetProperty("type").ToString(), StringComparison.Ordinal);
    }
}
