using System.Runtime.CompilerServices;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

/// <summary>
/// The 8-bit codes of a state's vectors (<see cref="ScalarCodes"/>), chunked like the vectors: pinned rows at a
/// 64-byte aligned stride, and their terms. Built when a build first needs them and released when the state is at
/// rest (see <see cref="IndexState.AcquireCodes"/>). A walk holds the arena it started with, so a released arena
/// stays alive until its last walk ends. Chunks are added under the state's allocation lock.
/// </summary>
internal sealed unsafe class CodeArena
{
    private readonly int _chunkSize;
    private readonly int _chunkShift;
    private readonly int _chunkMask;
    private Chunk[] _chunks = [];

    public CodeArena(int stride, int dimension, int chunkShift)
    {
        Stride = stride;
        Dimension = dimension;
        _chunkShift = chunkShift;
        _chunkSize = 1 << chunkShift;
        _chunkMask = _chunkSize - 1;
    }

    public int Stride { get; }

    public int Dimension { get; }

    public long Bytes => Volatile.Read(ref _chunks).Length * (((long)_chunkSize * (Stride + Unsafe.SizeOf<CodeTerms>())) + 64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Code(int slot) => _chunks[slot >> _chunkShift].Base + ((nint)(slot & _chunkMask) * Stride);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly CodeTerms Terms(int slot) => ref _chunks[slot >> _chunkShift].Terms[slot & _chunkMask];

    /// <summary>Encodes a slot's vector; the caller serializes growth (the state's allocation lock, or sole ownership).</summary>
    public void Encode(int slot, ReadOnlySpan<float> vector)
    {
        int chunk = slot >> _chunkShift;
        if (chunk >= _chunks.Length)
        {
            var grown = new Chunk[chunk + 1];
            Array.Copy(_chunks, grown, _chunks.Length);
            for (int i = _chunks.Length; i < grown.Length; i++)
            {
                grown[i] = new Chunk(_chunkSize, Stride);
            }

            Volatile.Write(ref _chunks, grown);
        }

        var target = _chunks[chunk];
        target.Terms[slot & _chunkMask] = ScalarCodes.Encode(vector, target.Base + ((nint)(slot & _chunkMask) * Stride));
    }

    private sealed class Chunk
    {
        public Chunk(int size, int stride)
        {
            Rows = GC.AllocateArray<byte>((size * stride) + 64, pinned: true);
            var raw = (nint)Unsafe.AsPointer(ref Rows[0]);
            Base = (byte*)((raw + 63) & ~(nint)63);
            Terms = new CodeTerms[size];
        }

        public byte[] Rows { get; }

        public byte* Base { get; }

        public CodeTerms[] Terms { get; }
    }
}
