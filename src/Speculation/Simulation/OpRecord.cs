using OnSram.Accelerator.Cost;

namespace OnSram.Speculation.Simulation;

/// <summary>What one op cost, as kept when <see cref="SimulatorOptions.RecordOps"/> is on and as an
/// <see cref="ISimulationRecorder"/> receives it.</summary>
/// <param name="OpIndex">Stable index of the op.</param>
/// <param name="Iteration">Its iteration.</param>
/// <param name="OpType">TensorFlow op type.</param>
/// <param name="Cost">The op's cost (unit, FLOPs, bytes by level, time, bound-by, energy).</param>
/// <param name="StagingBytes">SPM bytes its tiles had (not taken by held tensors).</param>
/// <param name="AfterOpTransfer">Write-back of tensors the policy dropped after the op (default when none).</param>
public readonly record struct OpRecord(int OpIndex, int Iteration, string OpType, OpCost Cost, long StagingBytes, OpCost AfterOpTransfer)
{
    /// <summary>SPM bytes held by tensors while the op ran (its held inputs and outputs included; aligned block sizes).</summary>
    public long HeldBytes { get; init; }

    /// <summary>SPM bytes held by tensors after the op and its after-op transfer (what the policy dropped is gone).</summary>
    public long HeldBytesAfter { get; init; }
}
