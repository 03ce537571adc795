using System.Text.Json.Serialization;

namespace Theodore.Api.Contracts;

/// <summary>
/// Source-generated serialization for the answers written on the hot paths (a query's matches, with metadata values
/// of every kind), so each response is written without reflection. Types not listed fall back to the reflection
/// resolver after it in the chain; the options are the API's own (see DependencyInjection).
/// </summary>
[JsonSerializable(typeof(QueryResponse))]
[JsonSerializable(typeof(QueryEstimateResponse))]
[JsonSerializable(typeof(UpsertResponse))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
