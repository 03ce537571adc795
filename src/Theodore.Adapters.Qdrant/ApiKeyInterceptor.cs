using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Theodore.Adapters.Qdrant;

/// <summary>Adds the <c>api-key</c> header to every call on a channel Theodore built itself (nothing else would).</summary>
internal sealed class ApiKeyInterceptor(string apiKey) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var headers = context.Options.Headers ?? [];
        headers.Add("api-key", apiKey);
        return continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers)));
    }

    public override string ToString() => "api-key interceptor (key hidden)";
}
