namespace Theodore.Core.Errors;

/// <summary>A query's estimated cost is over the <c>maxCost</c> it carried; nothing was run.</summary>
public sealed class QueryTooCostlyException : VectorStorageException
{
    public QueryTooCostlyException()
        : base("The query's estimated cost is over its maxCost.", ErrorCodes.QueryTooCostly)
    {
    }

    public QueryTooCostlyException(string message)
        : base(message, ErrorCodes.QueryTooCostly)
    {
    }

    public QueryTooCostlyException(string message, Exception innerException)
        : base(message, ErrorCodes.QueryTooCostly, innerException)
    {
    }

    /// <summary>Distance computations the query was estimated to cost.</summary>
    public long EstimatedCost { get; init; }

    /// <summary>The query's maxCost.</summary>
    public long MaxCost { get; init; }
}
