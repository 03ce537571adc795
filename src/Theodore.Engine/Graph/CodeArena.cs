using System.Numerics;
using System.Runtime.CompilerServices;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

/// <summary>
/// The codes of a state's vectors, 8-bit (<see cref="ScalarCodes"/>) or 4-bit and 1-bit (<see cref="LowBitCodes"/>):
/// per slot a row of the code (zero padded to the stride) followed by its terms, rows packed as
/// <see cref="RowBytesOf"/> says (a 384-d binary code and its terms fit one line), in native blocks of two huge pages or more
/// (<see cref="ChunkShiftFor"/>) that get huge pages once there are two (see <see cref="NativeBlock"/>), so a walk on
/// codes reads one region per visit and rarely misses the TLB. Built when a build first needs them and released when
/// the state is at rest (see <see cref="IndexState.AcquireCodes"/>), or kept for a quantized index's searches. A walk
/// holds the arena it started with, so a released arena stays alive until its last walk ends. Chunks are added under
/// the state's allocation lock.
/// </summary>
internal sealed unsafe class CodeArena
{
    private readonly int _chunkSize;
    private readonly int _chunkShift;
    private readonly int _chunkMask;
    private readonly int _rowBytes;
    private NativeBlock[] _chunks = [];
    private int _rows;

    public CodeArena(VectorQuantization kind, int dimension)
    {
        Kind = kind;
        Stride = StrideOf(kind, dimension);
        Dimension = dimension;
        _rowBytes = RowBytesOf(kind, dimension);
        _chunkShift = ChunkShiftFor(_rowBytes);
        _chunkSize = 1 << _chunkShift;
        _chunkMask = _chunkSize - 1;
    }

    /// <summary>
    /// Rows per chunk, as a power of two: the fewest that fill <see cref="ChunkBytes"/>, so every chunk after the first
    /// is whole huge pages. The state's node chunks hold 4,096 slots, which at 400 bytes a row (384-d int8) would be
    /// 1.6 MB, under one huge page: such an arena stayed on 4 KB pages and a walk missed the TLB at nearly every visit.
    /// </summary>
    public static int ChunkShiftFor(int rowBytes) =>
        BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)((ChunkBytes + rowBytes - 1) / rowBytes)));

    /// <summary>A chunk's least size: two huge pages. Blocks are mapped lazily: a small arena pays only for its rows.</summary>
    public const int ChunkBytes = 2 * NativeBlock.HugePage;

    /// <summary>What the rows hold: <see cref="VectorQuantization.Int8"/> (build codes too), Int4 or Binary.</summary>
    public VectorQuantization Kind { get; }

    /// <summary>Bytes of a row's code, before its terms.</summary>
    public int Stride { get; }

    public int Dimension { get; }

    /// <summary>The bytes of the rows encoded so far (a chunk's block costs only the pages its rows have written).</summary>
    public long Bytes => Volatile.Read(ref _rows) * (long)_rowBytes;

    /// <summary>Bytes per encoded row: the code and its terms.</summary>
    public int RowBytes => _rowBytes;

    /// <summary>Bytes of a code of <paramref name="kind"/> (not None) for <paramref name="dimension"/> components.</summary>
    public static int StrideOf(VectorQuantization kind, int dimension) => kind switch
    {
        VectorQuantization.Int4 => LowBitCodes.Int4Stride(dimension),
        VectorQuantization.Binary => LowBitCodes.BinaryStride(dimension),
        _ => ScalarCodes.Stride(dimension),
    };

    /// <summary>
    /// Bytes per row: the code and its 16 bytes of terms, 8- and 4-bit rows packed at <see cref="CacheLines.TightStride"/>
    /// (384-d: 400 and 208 bytes, where whole lines would take 448 and 256, with no row reaching into an extra line),
    /// binary rows rounded up to whole lines, because its kernel reads whole 64-byte lines of the row.
    /// </summary>
    public static int RowBytesOf(VectorQuantization kind, int dimension) =>
        kind == VectorQuantization.Binary ? CacheLines.Whole(StrideOf(kind, dimension) + 16) : CacheLines.TightStride(StrideOf(kind, dimension) + 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Code(int slot) => _chunks[slot >> _chunkShift].Pointer + ((nint)(slot & _chunkMask) * _rowBytes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly CodeTerms Terms(int slot) => ref TermsOf(Code(slot), Stride);

    /// <summary>The terms stored after a code row of <paramref name="stride"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref readonly CodeTerms TermsOf(byte* row, int stride) => ref *(CodeTerms*)(row + stride);

    /// <summary>Encodes a slot's vector; the caller serializes growth (the state's allocation lock, or sole ownership).</summary>
    public void Encode(int slot, ReadOnlySpan<float> vector)
    {
        int chunk = slot >> _chunkShift;
        if (chunk >= _chunks.Length)
        {
            var grown = new NativeBlock[chunk + 1];
            Array.Copy(_chunks, grown, _chunks.Length);
            for (int i = _chunks.Length; i < grown.Length; i++)
            {
                grown[i] = NativeBlock.Allocate((long)_chunkSize * _rowBytes);
            }

            if (grown.Length >= 2)
            {
                for (int i = Math.Max(0, _chunks.Length - 1); i < grown.Length; i++)
                {
                    grown[i].AdviseHugePages();
                }
            }

            Volatile.Write(ref _chunks, grown);
        }

        byte* row = _chunks[chunk].Pointer + ((nint)(slot & _chunkMask) * _rowBytes);
        *(CodeTerms*)(row + Stride) = Kind switch
        {
            VectorQuantization.Int4 => LowBitCodes.EncodeInt4(vector, row),
            VectorQuantization.Binary => LowBitCodes.EncodeBinary(vector, row),
            _ => ScalarCodes.Encode(vector, row),
        };
        if (slot >= _rows)
        {
            Volatile.Write(ref _rows, slot + 1);
        }
    }
}
