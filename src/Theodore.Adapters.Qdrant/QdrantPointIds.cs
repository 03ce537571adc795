using System.Security.Cryptography;
using System.Text;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// Theodore ids to Qdrant point ids. Qdrant takes only unsigned integers and UUIDs, so every (namespace, id) pair maps to
/// a name-based UUIDv5 (RFC 9562 §5.5: SHA-1 of the namespace UUID and the name, version 5, variant 10xx) in the fixed
/// namespace <see cref="Namespace"/> = <c>eb550dcb-c324-4cd7-abd9-2ce681179fa7</c>. The name is the UTF-8 of the Theodore
/// namespace, a NUL, and the id; neither may hold control characters, so the pair is unambiguous and the same id in two
/// namespaces is two points. The original id and namespace travel in the payload, so nothing is ever reversed from the hash.
/// </summary>
public static class QdrantPointIds
{
    /// <summary>The UUIDv5 namespace of Theodore's point ids. Changing it orphans every stored point: never change it.</summary>
    public static readonly Guid Namespace = new("eb550dcb-c324-4cd7-abd9-2ce681179fa7");

    public static Guid ToUuid(Namespace ns, VectorId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Uuid5(Namespace, ns.Value + "\0" + id.Value);
    }

    /// <summary>A name-based UUID, version 5 (SHA-1), per RFC 9562.</summary>
    public static Guid Uuid5(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // RFC 9562 defines UUIDv5 with SHA-1; it names points, it protects nothing.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
