using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace OnSram.Speculation.Logging;

/// <summary>
/// Writes events as JSON lines to a file (created or replaced). Buffered; flushed on every event at
/// <see cref="LogEventLevel.Information"/> or above and on dispose. Exceptions (unwritable path, disk full)
/// propagate: wrap it in a <see cref="FailSafeSink"/>.
/// </summary>
public sealed class JsonLinesFileSink : ILogEventSink, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly ITextFormatter _formatter;
    private bool _disposed;

    /// <summary>Opens <paramref name="path"/> for writing (throws when it cannot).</summary>
    public JsonLinesFileSink(string path, ITextFormatter? formatter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _formatter = formatter ?? new JsonLinesFormatter();
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
    }

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        if (_disposed)
        {
            return;
        }
        _formatter.Format(logEvent, _writer);
        if (logEvent.Level >= LogEventLevel.Information)
        {
            _writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _writer.Dispose();
    }
}
