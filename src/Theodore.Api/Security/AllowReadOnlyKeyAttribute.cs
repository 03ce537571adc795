namespace Theodore.Api.Security;

/// <summary>Marks a POST endpoint that only reads (query, fetch), so read-only keys may call it.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AllowReadOnlyKeyAttribute : Attribute;
