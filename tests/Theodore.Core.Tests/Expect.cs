using Theodore.Core.Errors;

namespace Theodore.Core.Tests;

internal static class Expect
{
    /// <summary>Asserts that <paramref name="action"/> throws exactly <typeparamref name="TException"/> with an error at <paramref name="path"/>.</summary>
    public static TException ErrorAt<TException>(Action action, string path)
        where TException : InvalidRequestException
    {
        var ex = Assert.Throws<TException>(action);
        Assert.True(ex.Errors.Any(e => e.Path == path), $"expected an error at '{path}', got: {string.Join("; ", ex.Errors.Select(e => $"{e.Path}: {e.Message}"))}");
        return ex;
    }

    public static InvalidRequestException InvalidAt(Action action, string path) => ErrorAt<InvalidRequestException>(action, path);

    public static InvalidFilterException FilterErrorAt(Action action, string path) => ErrorAt<InvalidFilterException>(action, path);
}
