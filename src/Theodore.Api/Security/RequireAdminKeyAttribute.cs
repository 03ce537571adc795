namespace Theodore.Api.Security;

/// <summary>Marks an endpoint that read-only API keys may not call even with GET (backups expose every index's data and layout).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RequireAdminKeyAttribute : Attribute;
