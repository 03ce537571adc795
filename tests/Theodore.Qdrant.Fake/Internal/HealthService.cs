using Grpc.Core;
using QdrantService = Qdrant.Client.Grpc.Qdrant;

namespace Theodore.Qdrant.Fake.Internal;

internal sealed class HealthService(QdrantFakeOptions options) : QdrantService.QdrantBase
{
    public override Task<global::Qdrant.Client.Grpc.HealthCheckReply> HealthCheck(global::Qdrant.Client.Grpc.HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new global::Qdrant.Client.Grpc.HealthCheckReply { Title = "qdrant - vector search engine", Version = options.Version });
}
