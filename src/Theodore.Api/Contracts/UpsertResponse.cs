namespace Theodore.Api.Contracts;

/// <summary>How many records were inserted or replaced.</summary>
public sealed record UpsertResponse(int UpsertedCount);
