namespace Theodore.Api.Security;

public static class ApiKeyEndpointExtensions
{
    /// <summary>Lets read-only API keys call this endpoint even though its method is not GET.</summary>
    public static TBuilder AllowReadOnlyKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowReadOnlyKeyAttribute());

    /// <summary>Refuses read-only API keys on this endpoint whatever its method (403).</summary>
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequireAdminKeyAttribute());
}
