using System.Collections.Concurrent;
using Theodore.Core.Domain;
using Theodore.Engine;

namespace Theodore.Adapters.Native;

/// <summary>One namespace's engine index, and the metadata fields that have ever held a list there.</summary>
internal sealed class Shard(VectorIndex engine)
{
    private readonly ConcurrentDictionary<string, byte> _listFields = new(StringComparer.Ordinal);

    public VectorIndex Engine { get; } = engine;

    public int ListFieldCount => _listFields.Count;

    /// <summary>True while the engine keys any record, soft-deleted ones included (a snapshot must keep those).</summary>
    public bool HasRecords => Engine.Count + Engine.SoftDeletedCount > 0;

    public IReadOnlyCollection<string> ListFields => [.. _listFields.Keys];

    public void RememberListFields(IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            _listFields.TryAdd(field, 0);
        }
    }

    // Noted before the write, so a field that holds a list is never counted by the value-count shortcut.
    public void Remember(Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (key, value) in metadata)
        {
            if (value.Kind == MetadataValueKind.StringList)
            {
                _listFields.TryAdd(key, 0);
            }
        }
    }

    /// <summary>
    /// Adds, per field, the records that have it. The engine counts values, not records: exact for scalar fields
    /// (one value per record), but a list adds one per element and an empty list none, so fields that have held a
    /// list are counted by reading the records.
    /// </summary>
    public void CountFields(SortedDictionary<string, long> fields)
    {
        foreach (var (field, values) in Engine.GetMetadataValueCounts())
        {
            if (!_listFields.ContainsKey(field))
            {
                fields[field] = fields.GetValueOrDefault(field) + values.Values.Sum(static c => (long)c);
            }
        }

        if (_listFields.IsEmpty)
        {
            return;
        }

        var listFields = _listFields.Keys.ToArray();
        foreach (var key in Engine.ListKeys(null, int.MaxValue))
        {
            if (Engine.Get(key) is not { } record)
            {
                continue;
            }

            foreach (var field in listFields)
            {
                if (record.Metadata.ContainsKey(field))
                {
                    fields[field] = fields.GetValueOrDefault(field) + 1;
                }
            }
        }
    }
}
