using System.Net;
using System.Text;
using Theodore.Pinecone.Fake;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>The fake refuses what Pinecone's spec and limits refuse, so a passing adapter test means something.</summary>
public sealed class FakeSelfTests
{
    [Fact]
    public async Task Body_the_spec_does_not_allow_is_400_and_recorded_as_a_violation()
    {
        await using var fake = await PineconeFake.StartAsync();
        using var http = Client(fake, fake.ControlPlaneEndpoint);

        using var bad = await http.PostAsync("/indexes", Json("""{"dimension":2,"metric":"cosine"}"""));
        using var good = await http.PostAsync("/indexes", Json("""{"name":"self-test","dimension":2,"metric":"cosine","spec":{"serverless":{"cloud":"aws","region":"us-east-1"}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        var violation = Assert.Single(fake.SpecViolations);
        Assert.Equal("create_index", violation.Operation);
        Assert.Contains(violation.Problems, p => p.Contains("name", StringComparison.Ordinal) || p.Contains("spec", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_plane_limits_and_schemas_are_enforced()
    {
        await using var fake = await PineconeFake.StartAsync();
        using var control = Client(fake, fake.ControlPlaneEndpoint);
        using var created = await control.PostAsync("/indexes", Json("""{"name":"limits","dimension":2,"metric":"euclidean","spec":{"serverless":{"cloud":"aws","region":"us-east-1"}}}"""));
        using var data = Client(fake, new Uri("http://" + fake.FindIndex("limits")!.Host));
        var tooMany = "{\"vectors\":[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $"{{\"id\":\"v{i}\",\"values\":[1,{i}]}}")) + "]}";

        using var noTopK = await data.PostAsync("/query", Json("""{"vector":[1,2]}"""));
        using var topKTooLarge = await data.PostAsync("/query", Json("""{"vector":[1,2],"topK":10001}"""));
        using var tooManyVectors = await data.PostAsync("/vectors/upsert", Json(tooMany));
        using var zero = await data.PostAsync("/vectors/upsert", Json("""{"vectors":[{"id":"z","values":[0,0]}]}"""));
        using var wrongDimension = await data.PostAsync("/vectors/upsert", Json("""{"vectors":[{"id":"w","values":[1,2,3]}]}"""));
        using var nullMetadata = await data.PostAsync("/vectors/upsert", Json("""{"vectors":[{"id":"n","values":[1,2],"metadata":{"k":null}}]}"""));
        using var bigMetadata = await data.PostAsync("/vectors/upsert", Json("{\"vectors\":[{\"id\":\"m\",\"values\":[1,2],\"metadata\":{\"k\":\"" + new string('x', 41 * 1024) + "\"}}]}"));
        using var longId = await data.PostAsync("/vectors/upsert", Json("{\"vectors\":[{\"id\":\"" + new string('i', 513) + "\",\"values\":[1,2]}]}"));
        using var ok = await data.PostAsync("/vectors/upsert", Json("""{"vectors":[{"id":"a","values":[3,4]}]}"""));
        using var query = await data.PostAsync("/query", Json("""{"vector":[0,0],"topK":1}"""));

        Assert.Equal(HttpStatusCode.BadRequest, noTopK.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, topKTooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooManyVectors.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongDimension.StatusCode);
        Assert.Contains("does not match the dimension", await wrongDimension.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, nullMetadata.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bigMetadata.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longId.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("\"score\":25", await query.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, fake.SpecViolations.Count); // no topK, topK over 10,000, an id over 512 characters: the schema's own limits
    }

    [Fact]
    public async Task Requests_without_the_key_or_the_version_header_are_refused()
    {
        await using var fake = await PineconeFake.StartAsync();
        using var noKey = new HttpClient { BaseAddress = fake.ControlPlaneEndpoint };
        noKey.DefaultRequestHeaders.Add("X-Pinecone-Api-Version", "2026-04");
        using var noVersion = new HttpClient { BaseAddress = fake.ControlPlaneEndpoint };
        noVersion.DefaultRequestHeaders.Add("Api-Key", fake.ApiKey);

        using var unauthorized = await noKey.GetAsync("/indexes");
        using var unversioned = await noVersion.GetAsync("/indexes");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unversioned.StatusCode);
    }

    [Fact]
    public void Both_specs_load_and_every_operation_the_adapter_calls_has_a_body_schema_where_it_takes_a_body()
    {
        var control = OpenApiSpec.ControlPlane.Operations.ToDictionary(o => o.OperationId, StringComparer.Ordinal);
        var data = OpenApiSpec.DataPlane.Operations.ToDictionary(o => o.OperationId, StringComparer.Ordinal);

        Assert.True(control["create_index"].HasBodySchema);
        Assert.False(control["describe_index"].HasBodySchema);
        Assert.All(["upsertVectors", "queryVectors", "deleteVectors", "updateVector", "describeIndexStats"], id => Assert.True(data[id].HasBodySchema, id));
        Assert.All(["fetchVectors", "listVectors"], id => Assert.False(data[id].HasBodySchema, id));
    }

    private static HttpClient Client(PineconeFake fake, Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add("Api-Key", fake.ApiKey);
        http.DefaultRequestHeaders.Add("X-Pinecone-Api-Version", "2026-04");
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
