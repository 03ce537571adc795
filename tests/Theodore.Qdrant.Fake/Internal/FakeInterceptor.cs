using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Qdrant.Client.Grpc;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>Logs every call, counts calls in flight, checks the api key, and serves injected faults before the handler.</summary>
internal sealed class FakeInterceptor(FakeJournal journal, QdrantFakeOptions options) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var rpc = context.Method.StartsWith("/qdrant.", StringComparison.Ordinal) ? context.Method["/qdrant.".Length..] : context.Method.TrimStart('/');
        var apiKey = context.RequestHeaders.GetValue("api-key");
        var message = (IMessage)request;
        var size = message.CalculateSize();
        var entry = new QdrantFakeRequest(
            rpc,
            message.Descriptor.FindFieldByName("collection_name")?.Accessor.GetValue(message) as string,
            size,
            apiKey,
            size <= options.MaxLoggedMessageBytes ? JsonFormatter.Default.Format(message) : $"{message.Descriptor.Name} of {size} bytes",
            request is UpsertPoints upsert ? upsert.Points.Count : 0,
            DateTimeOffset.UtcNow);
        journal.Add(entry);
        var isUpsert = request is UpsertPoints;
        journal.Enter(isUpsert);
        try
        {
            if (options.ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.ResponseDelay, context.CancellationToken);
            }

            if (options.ApiKey is not null && !string.Equals(apiKey, options.ApiKey, StringComparison.Ordinal))
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, apiKey is null ? "Must provide an API key or an Authorization bearer token" : "Invalid api-key"));
            }

            if (journal.TakeFault(rpc) is { } fault)
            {
                var trailers = new Metadata();
                foreach (var (key, value) in fault.Trailers ?? new Dictionary<string, string>(StringComparer.Ordinal))
                {
                    trailers.Add(key, value);
                }

                throw new RpcException(new Status(fault.Status, fault.Detail), trailers);
            }

            var response = await continuation(request, context);
            entry.StatusCode = 0;
            return response;
        }
        catch (RpcException ex)
        {
            entry.StatusCode = (int)ex.StatusCode;
            throw;
        }
        finally
        {
            journal.Leave(isUpsert);
        }
    }
}
