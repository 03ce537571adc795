using Grpc.Core;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>The statuses and messages Qdrant v1.19 answers with (lib/storage/src/content_manager/conversions.rs).</summary>
internal static class FakeErrors
{
    public static RpcException CollectionNotFound(string name) =>
        new(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));

    public static RpcException CollectionExists(string name) =>
        new(new Status(StatusCode.AlreadyExists, $"Wrong input: Collection `{name}` already exists!"));

    public static RpcException PointNotFound(string id) =>
        new(new Status(StatusCode.NotFound, $"Not found: No point with id {id} found"));

    public static RpcException Dimension(int expected, int got) =>
        new(new Status(StatusCode.InvalidArgument, $"Wrong input: Vector dimension error: expected dim: {expected}, got {got}"));

    public static RpcException WrongInput(string message) =>
        new(new Status(StatusCode.InvalidArgument, $"Wrong input: {message}"));

    public static RpcException Validation(string message) =>
        new(new Status(StatusCode.InvalidArgument, $"Validation error in body: [{message}]"));

    public static RpcException Invalid(string message) =>
        new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException Timeout(string operation, ulong seconds) =>
        new(new Status(StatusCode.DeadlineExceeded, $"Timeout error: Operation '{operation}' timed out after {seconds} seconds"));
}
