using Serilog.Core;
using Serilog.Events;

namespace OnSram.Speculation.Logging;

/// <summary>
/// Wraps a sink so that its failure never reaches the script: the first exception is reported once
/// (through the injected callback) and the sink is switched off; later events are dropped.
/// </summary>
public sealed class FailSafeSink : ILogEventSink, IDisposable
{
    private readonly ILogEventSink _inner;
    private readonly Action<string> _report;
    private readonly string _name;
    private int _failed;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="report"/> receives the one failure message.</summary>
    public FailSafeSink(ILogEventSink inner, string name, Action<string> report)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _name = name ?? "log";
        _report = report ?? throw new ArgumentNullException(nameof(report));
    }

    /// <summary>True once the inner sink failed (it is off).</summary>
    public bool Failed => Volatile.Read(ref _failed) != 0;

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        if (Failed)
        {
            return;
        }
        try
        {
            _inner.Emit(logEvent);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(e);
        }
    }

    /// <summary>Disposes the inner sink, reporting a failure (e.g. the final flush) like an emit failure.</summary>
    public void Dispose()
    {
        if (_inner is not IDisposable d)
        {
            return;
        }
        try
        {
            d.Dispose();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return;
        }
        try
        {
            _report($"onsram: the speculation log {_name} failed and is off (the simulation goes on): {e.GetType().Name}: {e.Message}");
        }
        catch (Exception reportFailure) when (reportFailure is not OutOfMemoryException)
        {
            // Reporting is best effort: stderr itself may be gone.
        }
    }
}
