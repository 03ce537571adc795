using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Application.Operations;

/// <summary>
/// A mixed batch of up to 1000 record operations on one namespace, applied in order, each with its own result; with
/// <see cref="Atomic"/> all or nothing. Parsed once with every problem listed (<c>operations[i].field</c>), so a bad
/// operation refuses the whole request and nothing is applied, atomic or not. Needs
/// <see cref="IRecordOperationsStorage"/>; what the backend lacks is refused with 501 before anything is applied.
/// </summary>
public sealed record ApplyOperations(string? Index, IReadOnlyList<OperationInput?>? Operations, string? Namespace = null, bool Atomic = false)
    : IRequest<OperationBatchResult>
{
    public const string UpsertOp = "upsert";
    public const string DeleteOp = "delete";
    public const string SoftDeleteOp = "softDelete";
    public const string RestoreOp = "restore";
    public const string UpdateMetadataOp = "updateMetadata";
    public const string SetExpiryOp = "setExpiry";

    private static readonly string[] Kinds = [UpsertOp, DeleteOp, SoftDeleteOp, RestoreOp, UpdateMetadataOp, SetExpiryOp];

    /// <summary>The name of an operation kind on the wire (the <c>op</c> field).</summary>
    public static string OpName(RecordOperationKind kind) => kind switch
    {
        RecordOperationKind.Upsert => UpsertOp,
        RecordOperationKind.Delete => DeleteOp,
        RecordOperationKind.SoftDelete => SoftDeleteOp,
        RecordOperationKind.Restore => RestoreOp,
        RecordOperationKind.UpdateMetadata => UpdateMetadataOp,
        RecordOperationKind.SetExpiry => SetExpiryOp,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The request as Core values (<paramref name="now"/> turns a ttlSeconds into an instant), or an error listing every problem.</summary>
    internal (IndexName Index, IReadOnlyList<RecordOperation> Operations, Namespace Namespace) Parse(DateTimeOffset now)
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var ns = parser.Namespace(Namespace);
        var operations = new List<RecordOperation>(Math.Min(Operations?.Count ?? 0, OperationBatchOptions.MaxOperations));
        if (parser.Count(Operations, OperationBatchOptions.MaxOperations, "operations", "operation"))
        {
            for (var i = 0; i < Operations!.Count; i++)
            {
                if (ParseOne(parser, Operations[i], $"operations[{i}]", now) is { } operation)
                {
                    operations.Add(operation);
                }
            }
        }

        parser.ThrowIfInvalid();
        return (index, operations, ns);
    }

    private static RecordOperation? ParseOne(RequestParser parser, OperationInput? input, string path, DateTimeOffset now)
    {
        if (input is null)
        {
            parser.Add(path, "an operation is required");
            return null;
        }

        var errors = parser.ErrorCount;
        var id = parser.Id(input.Id, $"{path}.id");
        var kind = input.Op switch
        {
            UpsertOp => RecordOperationKind.Upsert,
            DeleteOp => RecordOperationKind.Delete,
            SoftDeleteOp => RecordOperationKind.SoftDelete,
            RestoreOp => RecordOperationKind.Restore,
            UpdateMetadataOp => RecordOperationKind.UpdateMetadata,
            SetExpiryOp => RecordOperationKind.SetExpiry,
            _ => (RecordOperationKind?)null,
        };
        if (kind is null)
        {
            parser.Add($"{path}.op", input.Op is null ? $"required: one of {string.Join(", ", Kinds)}" : $"unknown operation '{input.Op}'; one of {string.Join(", ", Kinds)}");
            return null;
        }

        NotAllowed(parser, path, input, kind.Value);
        RecordOperation? operation = null;
        switch (kind.Value)
        {
            case RecordOperationKind.Upsert:
                var values = parser.Values(input.Values, $"{path}.values");
                var metadata = parser.Metadata(input.Metadata, $"{path}.metadata");
                var expiresAt = parser.Expiry(input.ExpiresAt, input.TtlSeconds, now, $"{path}.");
                if (parser.ErrorCount == errors)
                {
                    operation = RecordOperation.Upsert(new VectorRecord(id, values, metadata) { ExpiresAt = expiresAt });
                }

                break;
            case RecordOperationKind.UpdateMetadata:
                var mode = input.Mode switch
                {
                    null or "merge" => MetadataUpdateMode.Merge,
                    "replace" => MetadataUpdateMode.Replace,
                    _ => (MetadataUpdateMode?)null,
                };
                if (mode is null)
                {
                    parser.Add($"{path}.mode", $"must be merge or replace, got '{input.Mode}'");
                }

                if (!RequestParsing.IsPresent(input.Metadata))
                {
                    parser.Add($"{path}.metadata", "updateMetadata needs metadata (an object; {} with mode replace clears it)");
                }

                var fields = parser.Metadata(input.Metadata, $"{path}.metadata");
                if (parser.ErrorCount == errors)
                {
                    operation = RecordOperation.UpdateMetadata(id, fields, mode!.Value);
                }

                break;
            case RecordOperationKind.SetExpiry:
                var expiry = parser.Expiry(input.ExpiresAt, input.TtlSeconds, now, $"{path}.");
                if (parser.ErrorCount == errors)
                {
                    operation = RecordOperation.SetExpiry(id, expiry);
                }

                break;
            default:
                if (parser.ErrorCount == errors)
                {
                    operation = kind.Value switch
                    {
                        RecordOperationKind.Delete => RecordOperation.Delete(id),
                        RecordOperationKind.SoftDelete => RecordOperation.SoftDelete(id),
                        _ => RecordOperation.Restore(id),
                    };
                }

                break;
        }

        return operation;
    }

    /// <summary>A field the operation does not take is refused rather than ignored: it is almost always a mistake.</summary>
    private static void NotAllowed(RequestParser parser, string path, OperationInput input, RecordOperationKind kind)
    {
        var name = OpName(kind);
        if (input.Values is not null && kind != RecordOperationKind.Upsert)
        {
            parser.Add($"{path}.values", $"not allowed for {name}");
        }

        if (RequestParsing.IsPresent(input.Metadata) && kind is not (RecordOperationKind.Upsert or RecordOperationKind.UpdateMetadata))
        {
            parser.Add($"{path}.metadata", $"not allowed for {name}");
        }

        if (input.Mode is not null && kind != RecordOperationKind.UpdateMetadata)
        {
            parser.Add($"{path}.mode", $"not allowed for {name}");
        }

        if ((input.ExpiresAt is not null || input.TtlSeconds is not null) && kind is not (RecordOperationKind.Upsert or RecordOperationKind.SetExpiry))
        {
            parser.Add($"{path}.{(input.ExpiresAt is not null ? "expiresAt" : "ttlSeconds")}", $"not allowed for {name}");
        }
    }
}

public sealed class ApplyOperationsHandler(IVectorStorage storage, TimeProvider time) : IRequestHandler<ApplyOperations, OperationBatchResult>
{
    public async Task<OperationBatchResult> Handle(ApplyOperations request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var port = storage.GetRequiredService<IRecordOperationsStorage>();
        var (index, operations, ns) = request.Parse(time.GetUtcNow());
        OperationSupport.ThrowIfUnsupported(storage.Capabilities, operations, request.Atomic);
        var options = request.Atomic ? OperationBatchOptions.AllOrNothing : OperationBatchOptions.Default;
        return await port.ApplyAsync(index, operations, ns, options, cancellationToken).ConfigureAwait(false);
    }
}
