using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Theodore.Api.Tests.Hosting;

public sealed class LimitsTests
{
    [Fact]
    public async Task Body_over_the_limit_is_413_before_it_is_read()
    {
        using var factory = new TheodoreApiFactory(new Dictionary<string, string?> { ["Api:MaxRequestBodyBytes"] = "4096" });
        using var client = factory.CreateClient();
        using var body = new StringContent("{\"vectors\":[" + new string(' ', 5000) + "]}", Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/v1/indexes/any/vectors/upsert", UriKind.Relative), body);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Requests_over_the_rate_limit_get_429_with_retry_after()
    {
        using var factory = new TheodoreApiFactory(new Dictionary<string, string?>
        {
            ["Api:RateLimit:Enabled"] = "true",
            ["Api:RateLimit:PermitLimit"] = "3",
            ["Api:RateLimit:WindowSeconds"] = "60",
        });
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await client.GetAsync(new Uri("/v1/indexes", UriKind.Relative));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        await last!.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(last!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After was {last.Headers.RetryAfter}");
    }

    [Fact]
    public async Task Health_probes_are_never_rate_limited()
    {
        using var factory = new TheodoreApiFactory(new Dictionary<string, string?>
        {
            ["Api:RateLimit:Enabled"] = "true",
            ["Api:RateLimit:PermitLimit"] = "1",
            ["Api:RateLimit:WindowSeconds"] = "60",
        });
        using var client = factory.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task Unknown_route_is_404_problem_details()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/v1/nowhere", UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Malformed_json_is_400_malformed_request()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();
        using var body = new StringContent("{\"name\": \"x\", \"dimension\": ", Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/v1/indexes", UriKind.Relative), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task Number_sent_as_a_string_is_400_not_silently_converted()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();
        using var body = new StringContent("{\"name\":\"strict\",\"dimension\":\"3\",\"metric\":\"cosine\"}", Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/v1/indexes", UriKind.Relative), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task Json_number_overflowing_float_is_refused_not_stored_as_infinity()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();
        await client.PostAsJsonAsync("/v1/indexes", new { name = "overflow", dimension = 2, metric = "euclidean" });
        using var body = new StringContent("{\"vectors\":[{\"id\":\"a\",\"values\":[1e39, 0]}]}", Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/v1/indexes/overflow/vectors/upsert", UriKind.Relative), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }
}
