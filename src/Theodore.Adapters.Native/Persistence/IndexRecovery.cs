using Theodore.Core.Domain;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// An index's records as recovery rebuilds them: the snapshot first, then every logged change after it in LSN order.
/// Applying a change twice, or deleting what is not there, leaves the same state, so replay is idempotent.
/// </summary>
internal sealed class IndexRecovery(string directory)
{
    private const string SectionPrefix = "records-";

    public IndexDefinition? Definition { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public Dictionary<Namespace, Dictionary<string, StoredRecord>> Namespaces { get; } = [];

    public static string SectionName(int number) => FormattableString.Invariant($"{SectionPrefix}{number:D6}");

    public void RestoreSnapshot(SnapshotReader snapshot)
    {
        var (definition, created, updated) = JournalCodec.DecodeSnapshotHeader(snapshot.UserHeader.Span, snapshot.Path);
        Definition = definition;
        CreatedAt = created;
        UpdatedAt = updated;
        foreach (var section in snapshot.Sections)
        {
            if (!section.Name.StartsWith(SectionPrefix, StringComparison.Ordinal))
            {
                throw new CorruptDataException(snapshot.Path, section.DataOffset, $"unknown section '{section.Name}'");
            }

            var (ns, records) = JournalCodec.DecodeSection(snapshot.ReadSection(section.Name), $"{snapshot.Path} section '{section.Name}'");
            CheckDimension(records, snapshot.Path, section.DataOffset);
            var target = Namespace(ns);
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
                var target = Namespace(upsertNs);
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
                        existing.Remove(id);
                    }
                }

                Touch(deleteAt);
                break;
            case JournalCodec.DeleteAllType:
                var (clearAt, clearNs) = JournalCodec.DecodeDeleteAll(payload, source);
                Namespaces.Remove(clearNs);
                Touch(clearAt);
                break;
            default:
                throw new CorruptDataException(source, 0, $"unknown record type {record.Type}");
        }
    }

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

    private Dictionary<string, StoredRecord> Namespace(Namespace ns)
    {
        if (!Namespaces.TryGetValue(ns, out var records))
        {
            records = new Dictionary<string, StoredRecord>(StringComparer.Ordinal);
            Namespaces.Add(ns, records);
        }

        return records;
    }

    private void Touch(DateTimeOffset at)
    {
        if (at > UpdatedAt)
        {
            UpdatedAt = at;
        }
    }
}
