using System.Net;

namespace Theodore.Api.Tests.Endpoints;

public sealed class BackupUnsupportedTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("post", "/v1/backups", "{}")]
    [InlineData("get", "/v1/backups", null)]
    [InlineData("get", "/v1/backups/20261121T075306123Z-3fa9c1", null)]
    [InlineData("delete", "/v1/backups/20261121T075306123Z-3fa9c1", null)]
    [InlineData("post", "/v1/backups/20261121T075306123Z-3fa9c1/restore", """{"index":"companies"}""")]
    [InlineData("post", "/v1/backups/prune", """{"daily":1}""")]
    public async Task Backup_endpoints_on_a_backend_without_backups_are_501_unsupported_operation(string method, string url, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        await (await api.Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");
    }
}
