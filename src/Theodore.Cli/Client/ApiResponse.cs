namespace Theodore.Cli.Client;

/// <summary>A typed answer together with the JSON it came from, which <c>--json</c> prints as it is.</summary>
internal sealed record ApiResponse<T>(T Value, string Json);
