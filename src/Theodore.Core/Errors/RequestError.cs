namespace Theodore.Core.Errors;

/// <summary>One reason a request was refused: where (a JSON-like path such as <c>vectors[3].values</c>), a code and words.</summary>
public sealed record RequestError(string Path, string Code, string Message);
