using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Theodore.Adapters.Native;

namespace Theodore.Api.Tests.Hosting;

/// <summary>The storage is opened before the server accepts requests, and a data directory it cannot open stops the start with its reason.</summary>
public sealed class StorageLifecycleTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "theodore-lifecycle-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    [Fact]
    public async Task Start_opens_the_data_directory_before_the_first_request_is_served()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(factory.Services.GetRequiredService<NativeVectorStorage>().IsOpen);
    }

    [Fact]
    public async Task Start_on_a_data_directory_held_by_another_storage_fails_naming_the_directory()
    {
        await using var holder = await NativeVectorStorage.OpenAsync(new NativeOptions { DataPath = _dataPath });
        await using var factory = Host();

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var reason = Assert.IsType<InvalidOperationException>(error.GetBaseException() as InvalidOperationException ?? error);
        Assert.Contains(_dataPath, reason.Message, StringComparison.Ordinal);
    }

    private TheodoreApiFactory Host() => TheodoreApiFactory.AsShipped(_dataPath);
}
