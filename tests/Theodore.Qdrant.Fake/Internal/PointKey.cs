using Qdrant.Client.Grpc;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>
/// A point id as Qdrant orders it: numeric ids ascending, then UUIDs in byte order (which is the ordinal order of
/// their lower-case hyphenated text).
/// </summary>
internal readonly record struct PointKey(ulong Number, string? Uuid) : IComparable<PointKey>
{
    public static PointKey Parse(PointId? id)
    {
        if (id is null)
        {
            throw FakeErrors.Invalid("Malformed PointId: no id given");
        }

        return id.PointIdOptionsCase switch
        {
            PointId.PointIdOptionsOneofCase.Num => new PointKey(id.Num, null),
            PointId.PointIdOptionsOneofCase.Uuid => Guid.TryParse(id.Uuid, out var guid)
                ? new PointKey(0, guid.ToString("D"))
                : throw FakeErrors.Invalid($"Unable to parse UUID: {id.Uuid}"),
            _ => throw FakeErrors.Invalid("Malformed PointId: no id given"),
        };
    }

    public PointId ToPointId() => Uuid is null ? new PointId { Num = Number } : new PointId { Uuid = Uuid };

    public static bool operator <(PointKey left, PointKey right) => left.CompareTo(right) < 0;

    public static bool operator >(PointKey left, PointKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(PointKey left, PointKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PointKey left, PointKey right) => left.CompareTo(right) >= 0;

    public override string ToString() => Uuid ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public int CompareTo(PointKey other)
    {
        if (Uuid is null != other.Uuid is null)
        {
            return Uuid is null ? -1 : 1;
        }

        return Uuid is null ? Number.CompareTo(other.Number) : string.CompareOrdinal(Uuid, other.Uuid);
    }
}
