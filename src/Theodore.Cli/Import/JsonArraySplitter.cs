using System.Text.Json;

namespace Theodore.Cli.Import;

/// <summary>
/// Reads the elements of a top-level JSON array from a stream one at a time with <see cref="Utf8JsonReader"/>, keeping
/// only the element being read in memory. Each element comes back as its own bytes on one line: a line break in valid
/// JSON can only be whitespace between tokens (strings escape theirs), so it becomes a space.
/// </summary>
internal sealed class JsonArraySplitter(Stream stream)
{
    private readonly Stream _stream = stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private bool _inArray;
    private bool _done;
    private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });

    /// <summary>The next element, or null after the closing bracket.</summary>
    /// <exception cref="JsonException">The stream is not a JSON array.</exception>
    public byte[]? Next()
    {
        while (!_done)
        {
            if (TryStep(out var element))
            {
                if (element is not null)
                {
                    return element;
                }

                continue;
            }

            Refill();
        }

        return null;
    }

    /// <summary>False when the buffer ends inside the next token or element; nothing is consumed then.</summary>
    private bool TryStep(out byte[]? element)
    {
        element = null;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        if (!reader.Read())
        {
            return _final ? throw new JsonException("The file is empty; expected a JSON array of companies.") : false;
        }

        if (!_inArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"Expected a JSON array of companies, found {reader.TokenType} at the start.");
            }

            _inArray = true;
            Commit(ref reader);
            return true;
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            _done = true;
            Commit(ref reader);
            return true;
        }

        var from = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
        {
            return false;
        }

        var bytes = _buffer.AsSpan(_start + from, (int)reader.BytesConsumed - from).ToArray();
        bytes.AsSpan().Replace((byte)'\n', (byte)' ');
        bytes.AsSpan().Replace((byte)'\r', (byte)' ');
        element = bytes;
        Commit(ref reader);
        return true;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private void Refill()
    {
        if (_final)
        {
            throw new JsonException("The JSON array is not closed; the file ends inside it.");
        }

        var pending = _end - _start;
        if (pending == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }

        _start = 0;
        _end = pending;
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _final = read == 0;
    }
}
