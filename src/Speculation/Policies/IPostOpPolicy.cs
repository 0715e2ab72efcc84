namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: runs after each op has been charged and may drop held tensors speculatively
/// (<see cref="ISpmControl.Drop"/>). Dropping a tensor that is still live writes it back; that transfer
/// is charged right after the op, not overlapped with it.
/// </summary>
public interface IPostOpPolicy
{
    /// <summary>Called once per op, after <see cref="ISpmFeedback.OnOpCharged"/>.</summary>
    void AfterOp(in OpChargedFeedback op, ISpmControl control);
}

/// <summary>The SPM state with the one action a post-op policy may take.</summary>
public interface ISpmControl : ISpmState
{
    /// <summary>
    /// Removes a held tensor from the SPM. When it is live it is written back (counted as a write-back and
    /// a drop); a later read is a miss. Returns false when the tensor is not held.
    /// </summary>
    bool Drop(long tensorId, string reason);
}
