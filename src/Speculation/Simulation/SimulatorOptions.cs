using OnSram.Speculation.Logging;

namespace OnSram.Speculation.Simulation;

/// <summary>Options of a <see cref="Simulator"/>.</summary>
/// <param name="RecordOps">Keep an <see cref="OpRecord"/> per op (memory grows with the run).</param>
/// <param name="DecisionLog">Receives every decision and the summary; null for none (the fast path).</param>
/// <param name="Recorder">Receives every op record and stand-alone transfer as produced (memory stays flat); null for none.</param>
public sealed record SimulatorOptions(bool RecordOps = false, IDecisionLog? DecisionLog = null, ISimulationRecorder? Recorder = null)
{
    /// <summary>No per-op records, no log, no recorder.</summary>
    public static SimulatorOptions Default { get; } = new();
}
