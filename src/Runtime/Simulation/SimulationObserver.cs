using OnSram.Speculation.Events;
using OnSram.Speculation.Simulation;

namespace OnSram.Runtime.Simulation;

/// <summary>
/// Adapts the runtime's dispatch hook to a <see cref="Simulator"/>: each executed op becomes an
/// <see cref="OpEvent"/>, each release and mark is forwarded. It is also the <see cref="IEventSink"/> through
/// which a trace replay feeds the same simulator. Calls are serialized (the exit handler may finish the
/// simulator from another thread); events arriving after the simulator finished are ignored.
/// </summary>
public sealed class SimulationObserver : IEagerObserver, IEventSink
{
    private readonly Simulator _simulator;
    private readonly object _gate;

    /// <summary>Feeds <paramref name="simulator"/>; <paramref name="gate"/> serializes access to it.</summary>
    public SimulationObserver(Simulator simulator, object? gate = null)
    {
        _simulator = simulator ?? throw new ArgumentNullException(nameof(simulator));
        _gate = gate ?? new object();
    }

    /// <inheritdoc />
    public void OnOp(in OpExecution op)
    {
        var e = op.ToOpEvent();
        lock (_gate)
        {
            if (!_simulator.IsFinished)
            {
                _simulator.OnOp(in e);
            }
        }
    }

    /// <inheritdoc />
    public void OnOp(in OpEvent op)
    {
        lock (_gate)
        {
            if (!_simulator.IsFinished)
            {
                _simulator.OnOp(in op);
            }
        }
    }

    /// <inheritdoc />
    public void OnRelease(in TensorDescriptor tensor) => OnRelease(tensor.Id);

    /// <inheritdoc />
    public void OnRelease(long tensorId)
    {
        lock (_gate)
        {
            if (!_simulator.IsFinished)
            {
                _simulator.OnRelease(tensorId);
            }
        }
    }

    /// <inheritdoc />
    public void OnMark(string label)
    {
        lock (_gate)
        {
            if (!_simulator.IsFinished)
            {
                _simulator.OnMark(label);
            }
        }
    }
}
