namespace OnSram.Runtime.Traces;

/// <summary>
/// Splits a byte stream into lines (LF or CRLF) on one growable buffer: memory stays at the longest
/// line, whatever the stream's length. A returned line is valid until the next call.
/// </summary>
internal sealed class LineSource : IDisposable
{
    internal const int MaxLineBytes = 256 << 20;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public LineSource(Stream stream, bool leaveOpen, int initialBytes = 1 << 20)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = new byte[initialBytes];
    }

    /// <summary>Reads the next line without its terminator; false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var searched = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var nl = pending[searched..].IndexOf((byte)'\n');
            if (nl >= 0)
            {
                nl += searched;
                line = TrimCr(pending[..nl]);
                _start += nl + 1;
                return true;
            }
            searched = pending.Length;
            if (_eof)
            {
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }
                line = TrimCr(pending);
                _start = _end;
                return true;
            }
            Fill();
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new TraceLineException($"line longer than {MaxLineBytes} bytes");
            }
            Array.Resize(ref _buffer, Math.Min(MaxLineBytes, _buffer.Length * 2));
        }
        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }
        else
        {
            _end += n;
        }
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> s) => s.Length > 0 && s[^1] == (byte)'\r' ? s[..^1] : s;
}
