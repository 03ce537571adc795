namespace Theodore.Application.Tests.Support;

/// <summary>A use case's parse of its raw request into Core values, run by <see cref="Validation"/> like a validator.</summary>
internal sealed class ParseOf<T>(Action<T> parse)
{
    public void Parse(T request) => parse(request);
}
