using OnSram.Speculation.Events;

namespace OnSram.Speculation.Graphs;

/// <summary>
/// An <see cref="IEventSink"/> that records a stream (a live run, a trace being read) as
/// <see cref="SimEvent"/>s, numbered as the simulator numbers them, for <see cref="GraphCapture"/>.
/// </summary>
public sealed class GraphRecorder : IEventSink
{
    private readonly List<SimEvent> _events = new();
    private int _ops;

    /// <summary>The events recorded so far.</summary>
    public IReadOnlyList<SimEvent> Events => _events;

    /// <inheritdoc />
    public void OnOp(in OpEvent op) => _events.Add(SimEvent.ForOp(_ops++, in op));

    /// <inheritdoc />
    public void OnRelease(long tensorId) => _events.Add(SimEvent.ForRelease(_ops, tensorId));

    /// <inheritdoc />
    public void OnMark(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _events.Add(SimEvent.ForMark(_ops, label));
    }

    /// <summary>The graphs of the iterations recorded (see <see cref="GraphCapture.Iterations"/>).</summary>
    public IReadOnlyList<CapturedIteration> Iterations(int deviceFloatBytes) => GraphCapture.Iterations(_events, deviceFloatBytes);
}
