using System.Reflection;

namespace Theodore.Api.Tests.Hosting;

/// <summary>
/// xUnit 2 disposes a test class through <see cref="IDisposable"/> or <see cref="IAsyncLifetime"/> only: a class that
/// implements just <see cref="IAsyncDisposable"/> is never disposed, and its hosts and temporary directories outlive
/// the run (six classes here did, and the suite ran out of memory on their hosts).
/// </summary>
public sealed class TestClassDisposalTests
{
    [Fact]
    public void Every_test_class_that_owns_async_resources_is_disposed_by_the_runner()
    {
        var neverDisposed = typeof(TestClassDisposalTests).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(IAsyncDisposable).IsAssignableFrom(t))
            .Where(t => !typeof(IAsyncLifetime).IsAssignableFrom(t) && !typeof(IDisposable).IsAssignableFrom(t))
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(neverDisposed);
    }
}
