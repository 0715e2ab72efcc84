namespace OnSram.Speculation.Events;

/// <summary>The kind of a <see cref="SimEvent"/>.</summary>
public enum SimEventKind
{
    /// <summary>An op executed (<see cref="SimEvent.Op"/>).</summary>
    Op,

    /// <summary>A tensor's last handle was released (<see cref="SimEvent.TensorId"/>).</summary>
    Release,

    /// <summary>A program mark (<see cref="SimEvent.Label"/>).</summary>
    Mark,
}

/// <summary>
/// One buffered event of a run, as policies that see the whole stream (<c>IStreamPreview</c>) receive it.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="OpIndex">For an op: its stable index among the ops of the run (0, 1, 2, ...), the index
/// <c>HoldRequest.OpIndex</c> and the feedback use. For a release or mark: the number of ops before it.</param>
/// <param name="Op">The op (default unless <paramref name="Kind"/> is <see cref="SimEventKind.Op"/>).</param>
/// <param name="TensorId">The released tensor (0 unless <paramref name="Kind"/> is <see cref="SimEventKind.Release"/>).</param>
/// <param name="Label">The mark's label (null unless <paramref name="Kind"/> is <see cref="SimEventKind.Mark"/>).</param>
public readonly record struct SimEvent(SimEventKind Kind, int OpIndex, OpEvent Op, long TensorId, string? Label)
{
    /// <summary>An op event.</summary>
    public static SimEvent ForOp(int opIndex, in OpEvent op) => new(SimEventKind.Op, opIndex, op, 0, null);

    /// <summary>A release event.</summary>
    public static SimEvent ForRelease(int opsBefore, long tensorId) => new(SimEventKind.Release, opsBefore, default, tensorId, null);

    /// <summary>A mark event.</summary>
    public static SimEvent ForMark(int opsBefore, string label) => new(SimEventKind.Mark, opsBefore, default, 0, label);
}
