using System.IO.Compression;

namespace OnSram.Runtime.Traces;

/// <summary>
/// Records the runtime's event stream as a trace (format v1, JSON Lines; gzipped when the path ends
/// with <c>.gz</c>): attach it to an <see cref="EagerContext"/> like any observer. It works with or
/// without a simulator attached. Views are never written (the dispatch point does not report them: a
/// view's id appears as an input with the view's shape). A release is written only for an id some
/// recorded op has used or produced, since the format has no place for tensors no op touched.
/// A write failure is reported once (to standard error by default) and stops the recording; it never
/// reaches the script. Lines are buffered and written at every mark, when the buffer fills, on
/// <see cref="Flush"/> and on <see cref="Dispose"/> (which a gzipped trace needs to be complete).
/// </summary>
public sealed class TraceWriter : IEagerObserver, IDisposable
{
    private const int DrainThreshold = 1 << 16;
    private readonly object _gate = new();
    private readonly TraceLineWriter _lines = new();
    private readonly HashSet<long> _mentioned = new();
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly TextWriter? _errors;
    private readonly string _displayName;
    private bool _disposed;

    /// <summary>Creates a writer over <paramref name="stream"/> and writes the header line.</summary>
    public TraceWriter(Stream stream, TraceWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= TraceWriterOptions.Default;
        _stream = stream;
        _leaveOpen = leaveOpen;
        _errors = options.Errors;
        _displayName = options.DisplayName ?? "trace";
        var source = options.Source ?? $"OnSRAM.NET {typeof(TraceWriter).Assembly.GetName().Version}";
        _lines.WriteHeader(source, options.Model, options.Batch);
    }

    /// <summary>Creates the file at <paramref name="path"/> (gzip when it ends with <c>.gz</c>) and a writer on it.</summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be created.</exception>
    public static TraceWriter Create(string path, TraceWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= TraceWriterOptions.Default;
        Stream stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionLevel.Fastest);
        }
        return new TraceWriter(stream, options with { DisplayName = options.DisplayName ?? path });
    }

    /// <summary>True once a write failed (the recording stopped).</summary>
    public bool HasFailed => Failure is not null;

    /// <summary>The failure that stopped the recording, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>Op lines recorded (lines still buffered when a write fails are lost).</summary>
    public long Ops { get; private set; }

    /// <summary>Free lines recorded (lines still buffered when a write fails are lost).</summary>
    public long Releases { get; private set; }

    /// <summary>Mark lines written and flushed.</summary>
    public long Marks { get; private set; }

    /// <inheritdoc />
    public void OnOp(in OpExecution op)
    {
        lock (_gate)
        {
            if (!CanWrite)
            {
                return;
            }
            try
            {
                foreach (var t in op.Inputs)
                {
                    _mentioned.Add(t.Id);
                }
                foreach (var t in op.Outputs)
                {
                    _mentioned.Add(t.Id);
                }
                _lines.WriteOp(op.OpType, op.Name, op.Inputs, op.Outputs, op.Attrs);
                Ops++;
                DrainIfFull();
            }
            catch (Exception e) when (IsIoFailure(e))
            {
                Fail(e);
            }
        }
    }

    /// <inheritdoc />
    public void OnRelease(in TensorDescriptor tensor)
    {
        lock (_gate)
        {
            if (!CanWrite || !_mentioned.Remove(tensor.Id))
            {
                return;
            }
            try
            {
                _lines.WriteFree(tensor.Id);
                Releases++;
                DrainIfFull();
            }
            catch (Exception e) when (IsIoFailure(e))
            {
                Fail(e);
            }
        }
    }

    /// <inheritdoc />
    public void OnMark(string label)
    {
        lock (_gate)
        {
            if (!CanWrite)
            {
                return;
            }
            try
            {
                _lines.WriteMark(label);
                DrainAndFlush();
                Marks++;
            }
            catch (Exception e) when (IsIoFailure(e))
            {
                Fail(e);
            }
        }
    }

    /// <summary>Writes buffered lines and flushes the stream.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            FlushLocked();
        }
    }

    /// <summary>Writes buffered lines and closes the stream (unless it was left open).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            FlushLocked();
            _disposed = true;
            if (!_leaveOpen)
            {
                try
                {
                    _stream.Dispose();
                }
                catch (Exception e) when (IsIoFailure(e))
                {
                    Fail(e);
                }
            }
        }
    }

    private bool CanWrite => !_disposed && Failure is null;

    private void FlushLocked()
    {
        if (!CanWrite)
        {
            return;
        }
        try
        {
            DrainAndFlush();
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            Fail(e);
        }
    }

    private void DrainAndFlush()
    {
        _lines.DrainTo(_stream);
        _stream.Flush();
    }

    private void DrainIfFull()
    {
        if (_lines.BufferedBytes >= DrainThreshold)
        {
            _lines.DrainTo(_stream);
        }
    }

    private void Fail(Exception e)
    {
        if (Failure is not null)
        {
            return;
        }
        Failure = $"{e.GetType().Name}: {e.Message}";
        _lines.Discard();
        try
        {
            (_errors ?? Console.Error).WriteLine($"onsram: trace recording to {_displayName} failed and stopped: {Failure}");
        }
        catch (Exception)
        {
            // The error stream itself failed; the failure stays available in Failure.
        }
    }

    private static bool IsIoFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException;
}
