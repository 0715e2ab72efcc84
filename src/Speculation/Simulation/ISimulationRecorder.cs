using OnSram.Accelerator.Cost;

namespace OnSram.Speculation.Simulation;

/// <summary>
/// Receives the simulated run as it is produced, in simulated-time order: every op's record and every
/// stand-alone transfer, then the report. Set through <see cref="SimulatorOptions.Recorder"/>; with it,
/// per-op figures can be streamed out (a timeline, a CSV) without keeping them in memory. Unlike the
/// decision log, a recorder's exceptions are not caught: they stop the simulation (an export that cannot
/// be written must not look complete). Called from the thread feeding the simulator; for a policy with a
/// preview (<c>IStreamPreview</c>) everything arrives during <see cref="Simulator.Finish"/>.
/// </summary>
public interface ISimulationRecorder
{
    /// <summary>
    /// An op was simulated. Its <see cref="OpRecord.AfterOpTransfer"/> (write-back of tensors the policy
    /// dropped after it) follows it in time and is not reported again through <see cref="OnTransfer"/>.
    /// </summary>
    void OnOp(in OpRecord record);

    /// <summary>A stand-alone transfer not tied to an op's own time (see <see cref="TransferKind"/>).</summary>
    void OnTransfer(in TransferRecord transfer);

    /// <summary>The run is finished; <paramref name="report"/> is its report. Called once.</summary>
    void OnFinish(SimulationReport report);
}

/// <summary>Why a stand-alone transfer happened.</summary>
public enum TransferKind
{
    /// <summary>A tensor that left the SPM as dead (a wrong liveness hint) is read again: written back before the op reading it.</summary>
    LateWriteBack,

    /// <summary>A held tensor no op read (a result) was released: written back first.</summary>
    ReleasedResult,

    /// <summary>Held results written back at the end of the run.</summary>
    EndOfRun,
}

/// <summary>A stand-alone transfer, as an <see cref="ISimulationRecorder"/> sees it.</summary>
/// <param name="OpIndex">Ops simulated before it (the index the next op gets).</param>
/// <param name="Iteration">The iteration it is charged to.</param>
/// <param name="Kind">Why it happened.</param>
/// <param name="TensorId">The tensor written back (-1 for <see cref="TransferKind.EndOfRun"/>, which may write several).</param>
/// <param name="Cost">What it cost (written bytes, time, energy).</param>
/// <param name="HeldBytes">SPM bytes held by tensors right after it.</param>
public readonly record struct TransferRecord(int OpIndex, int Iteration, TransferKind Kind, long TensorId, OpCost Cost, long HeldBytes);
