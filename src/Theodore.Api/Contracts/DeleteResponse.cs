namespace Theodore.Api.Contracts;

/// <summary>How many records existed and were deleted.</summary>
public sealed record DeleteResponse(long DeletedCount);
