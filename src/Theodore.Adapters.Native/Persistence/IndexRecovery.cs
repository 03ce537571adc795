using System.Globalization;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Engine;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// An index as recovery finds it: the snapshot first (each namespace's graph, or for the records-only format its
/// records), then every logged change after it in LSN order, kept as the net change per id so the graphs are touched
/// once at the end. Applying a change twice, or deleting what is not there, leaves the same state, so replay is idempotent.
/// </summary>
internal sealed class IndexRecovery(string directory, string? vectorFileDirectory = null)
{
    public const string NamespacesSection = "namespaces";

    private const string SectionPrefix = "records-";
    private const string GraphPrefixStart = "ns-";

    public IndexDefinition? Definition { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public Dictionary<Namespace, RecoveredNamespace> Namespaces { get; } = [];

    public static string SectionName(int number) => FormattableString.Invariant($"{SectionPrefix}{number:D6}");

    /// <summary>The section prefix of the <paramref name="number"/>th namespace's graph.</summary>
    public static string GraphPrefix(int number) => FormattableString.Invariant($"{GraphPrefixStart}{number}/");

    public void RestoreSnapshot(SnapshotReader snapshot)
    {
        var (version, definition, created, updated) = JournalCodec.DecodeSnapshotHeader(snapshot.UserHeader.Span, snapshot.Path);
        Definition = definition;
        CreatedAt = created;
        UpdatedAt = updated;
        if (version == JournalCodec.RecordsOnlyPayloadVersion)
        {
            RestoreRecords(snapshot);
        }
        else
        {
            RestoreGraphs(snapshot);
        }
    }

    private void RestoreGraphs(SnapshotReader snapshot)
    {
        if (!snapshot.HasSection(NamespacesSection))
        {
            throw new CorruptDataException(snapshot.Path, 0, $"the section '{NamespacesSection}' is missing");
        }

        var listed = JournalCodec.DecodeNamespaces(snapshot.ReadSection(NamespacesSection), $"{snapshot.Path} section '{NamespacesSection}'");
        foreach (var section in snapshot.Sections)
        {
            if (section.Name != NamespacesSection && !IsGraphSection(section.Name, listed.Count))
            {
                throw new CorruptDataException(snapshot.Path, section.DataOffset, $"unknown section '{section.Name}'");
            }
        }

        for (var number = 0; number < listed.Count; number++)
        {
            var (ns, listFields) = listed[number];
            if (Namespaces.ContainsKey(ns))
            {
                throw new CorruptDataException(snapshot.Path, 0, $"the namespace '{ns.Value}' is listed twice");
            }

            var graph = VectorIndex.ReadFrom(snapshot, GraphPrefix(number), vectorFileDirectory);
            if (graph.Dimension != Definition!.Dimension || graph.Metric != NativeMapper.ToEngine(Definition.Metric))
            {
                throw new CorruptDataException(snapshot.Path, 0, $"the graph of namespace '{ns.Value}' has dimension {graph.Dimension} and metric {graph.Metric}, not the index's");
            }

            var target = Namespace(ns);
            target.Graph = graph;
            target.ListFields.UnionWith(listFields);
        }
    }

    private static bool IsGraphSection(string name, int namespaces)
    {
        if (!name.StartsWith(GraphPrefixStart, StringComparison.Ordinal))
        {
            return false;
        }

        var slash = name.IndexOf('/', GraphPrefixStart.Length);
        return slash > GraphPrefixStart.Length
            && int.TryParse(name.AsSpan(GraphPrefixStart.Length, slash - GraphPrefixStart.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number < namespaces;
    }

    private void RestoreRecords(SnapshotReader snapshot)
    {
        foreach (var section in snapshot.Sections)
        {
            if (!section.Name.StartsWith(SectionPrefix, StringComparison.Ordinal))
            {
                throw new CorruptDataException(snapshot.Path, section.DataOffset, $"unknown section '{section.Name}'");
            }

            var (ns, records) = JournalCodec.DecodeSection(snapshot.ReadSection(section.Name), $"{snapshot.Path} section '{section.Name}'");
            CheckDimension(records, snapshot.Path, section.DataOffset);
            var target = Namespace(ns).Changes;
            foreach (var record in records)
            {
                target[record.Id] = record;
            }
        }
    }

    public void Replay(WalRecord record)
    {
        var source = FormattableString.Invariant($"{Path.Combine(directory, DurableStore.WalDirectoryName)} (record LSN {record.Lsn})");
        var payload = record.Payload.Span;
        if (record.Type == JournalCodec.DefineType)
        {
            var (definition, created) = JournalCodec.DecodeDefine(payload, source);
            if (Definition is not null && Definition != definition)
            {
                throw new CorruptDataException(source, 0, "a second, different index definition");
            }

            Definition = definition;
            CreatedAt = created;
            UpdatedAt = created;
            return;
        }

        if (Definition is null)
        {
            throw new CorruptDataException(source, 0, "a change precedes the index definition");
        }

        switch (record.Type)
        {
            case JournalCodec.UpsertType:
                var (upsertAt, upsertNs, records) = JournalCodec.DecodeUpsert(payload, source);
                CheckDimension(records, source, 0);
                var target = Namespace(upsertNs).Changes;
                foreach (var stored in records)
                {
                    target[stored.Id] = stored;
                }

                Touch(upsertAt);
                break;
            case JournalCodec.DeleteType:
                var (deleteAt, deleteNs, ids) = JournalCodec.DecodeDelete(payload, source);
                if (Namespaces.TryGetValue(deleteNs, out var existing))
                {
                    foreach (var id in ids)
                    {
                        Forget(existing, id);
                    }
                }

                Touch(deleteAt);
                break;
            case var type when JournalCodec.IsOperationsType(type):
                var (operationsAt, operationsNs, operations) = JournalCodec.DecodeOperations(type, payload, source);
                foreach (var operation in operations)
                {
                    ReplayOperation(operationsAt, operationsNs, operation, source);
                }

                Touch(operationsAt);
                break;
            case JournalCodec.DeleteAllType:
                var (clearAt, clearNs) = JournalCodec.DecodeDeleteAll(payload, source);
                Namespaces.Remove(clearNs);
                Touch(clearAt);
                break;
            case RedefineRecord.Type:
                // An online rebuild's swap: the graphs are built with these options at load (NativeIndex.Load).
                Definition = RedefineRecord.Decode(payload, Definition, source);
                break;
            default:
                throw new CorruptDataException(source, 0, $"unknown record type {record.Type}");
        }
    }

    // Only the loaded graph can hold the id once the change is dropped; without one, forget it.
    private static void Forget(RecoveredNamespace target, string id)
    {
        if (target.Graph is null)
        {
            target.Changes.Remove(id);
        }
        else
        {
            target.Changes[id] = null;
        }
    }

    /// <summary>
    /// One logged operation on the net state: upserts and deletes as their own records do; a soft delete, restore,
    /// expiry or metadata change rewrites the id's net record, taken from the graph when the log has not changed it
    /// yet (the graph is then given the whole record at load, state included).
    /// </summary>
    private void ReplayOperation(DateTimeOffset at, Namespace ns, LoggedOperation operation, string source)
    {
        if (operation.Kind == RecordOperationKind.Upsert)
        {
            CheckDimension([operation.Record!], source, 0);
            Namespace(ns).Changes[operation.Id] = operation.Record;
            return;
        }

        if (!Namespaces.TryGetValue(ns, out var target))
        {
            // Only an applied operation is logged, so its record exists; a namespace cleared since took it along.
            return;
        }

        if (operation.Kind == RecordOperationKind.Delete)
        {
            Forget(target, operation.Id);
            return;
        }

        var current = target.Changes.TryGetValue(operation.Id, out var changed) ? changed : FromGraph(target.Graph, operation.Id);
        if (current is null)
        {
            return;
        }

        target.Changes[operation.Id] = operation.Kind switch
        {
            RecordOperationKind.SoftDelete => current with { DeletedAt = at },
            RecordOperationKind.Restore => current with { DeletedAt = null },
            RecordOperationKind.SetExpiry => current with { ExpiresAt = operation.ExpiresAt },
            _ => current with { Metadata = operation.Metadata! },
        };
    }

    private static StoredRecord? FromGraph(VectorIndex? graph, string id) =>
        graph?.GetStored(id) is { } stored
            ? new StoredRecord(id, stored.Vector, NativeMapper.ToCore(stored.Metadata)) { ExpiresAt = stored.ExpiresAt, DeletedAt = stored.DeletedAt }
            : null;

    private void CheckDimension(List<StoredRecord> records, string source, long offset)
    {
        foreach (var record in records)
        {
            if (record.Values.Length != Definition!.Dimension)
            {
                throw new CorruptDataException(source, offset, $"record '{record.Id}' has {record.Values.Length} values but the index has dimension {Definition.Dimension}");
            }
        }
    }

    private RecoveredNamespace Namespace(Namespace ns)
    {
        if (!Namespaces.TryGetValue(ns, out var recovered))
        {
            recovered = new RecoveredNamespace();
            Namespaces.Add(ns, recovered);
        }

        return recovered;
    }

    private void Touch(DateTimeOffset at)
    {
        if (at > UpdatedAt)
        {
            UpdatedAt = at;
        }
    }
}
