namespace OnSram.Speculation.Logging;

/// <summary>
/// A decision log that also takes what a speculating policy knows: the prediction behind each decision (merged
/// into the decision's line), the outcome of each decided tensor once its life is over, and the decisions an
/// oracle would have made differently. <see cref="SpeculationLog"/> writes it as JSON lines; the format is in
/// <c>docs/eager.md</c>, "Speculation log".
/// </summary>
public interface ISpeculationLog : IDecisionLog
{
    /// <summary>The prediction behind the decision the simulator logs next for the same op and tensor.</summary>
    void Prediction(in PredictionEntry prediction);

    /// <summary>The outcome of a decided tensor (written when it is released, or at the end of the run).</summary>
    void Outcome(in OutcomeEntry outcome);

    /// <summary>A decision the oracle would have made the other way (written at the end of the run).</summary>
    void Disagreement(in DisagreementEntry disagreement);
}

/// <summary>The prediction behind one hold/discard decision.</summary>
/// <param name="OpIndex">The producing op.</param>
/// <param name="OutputIndex">Which output.</param>
/// <param name="TensorId">The tensor.</param>
/// <param name="Signature">Signature of the producing op (16 hex digits).</param>
/// <param name="Known">True when the history table had an entry for it (false: the documented default).</param>
/// <param name="PredictedReads">Reads the entry predicts (-1 when unknown).</param>
/// <param name="PredictedBenefitSeconds">Time the hold is predicted to save (producer's write-back and readers'
/// reads, as far as the tensor is predicted to stay).</param>
/// <param name="PredictedCostSeconds">Time the hold is predicted to cost (other ops' tiling, the write-back of an
/// early eviction, the value of the tensors it displaces).</param>
/// <param name="PredictedBenefitBytes">External bytes the hold is predicted to save.</param>
/// <param name="FreeSpmBytes">Free SPM bytes when the decision was taken.</param>
public readonly record struct PredictionEntry(
    int OpIndex,
    int OutputIndex,
    long TensorId,
    string Signature,
    bool Known,
    int PredictedReads,
    double PredictedBenefitSeconds,
    double PredictedCostSeconds,
    long PredictedBenefitBytes,
    long FreeSpmBytes);

/// <summary>What became of one decided tensor.</summary>
/// <param name="OpIndex">The producing op.</param>
/// <param name="Iteration">Its iteration.</param>
/// <param name="OpType">Its type.</param>
/// <param name="Signature">Signature of the producing op.</param>
/// <param name="OutputIndex">Which output.</param>
/// <param name="TensorId">The tensor.</param>
/// <param name="Bytes">Its device bytes.</param>
/// <param name="Decision"><c>hold</c>, <c>discard</c> or <c>hold_failed</c>.</param>
/// <param name="Outcome">Summary word: <c>used</c> (held, every read a hit), <c>evicted_live</c>, <c>dropped</c>,
/// <c>dropped_then_read</c>, <c>released_unread</c>, <c>missed</c> (not held, read back from external memory),
/// <c>unread</c> (not held, never read).</param>
/// <param name="PredictedReads">Reads predicted at the decision (-1 when unknown).</param>
/// <param name="Reads">Reads by ops.</param>
/// <param name="Hits">Reads served from the SPM.</param>
/// <param name="Misses">Reads served from external memory.</param>
/// <param name="EvictedLive">True when it was evicted for room before its release (and written back).</param>
/// <param name="Dropped">True when the policy dropped it after an op.</param>
/// <param name="ReleasedUnread">True when it was held and no op read it.</param>
/// <param name="EndOpIndex">Ops executed when its life ended (release or end of run).</param>
/// <param name="ExternalBytes">External bytes it moved: write-backs plus reads from external memory.</param>
public readonly record struct OutcomeEntry(
    int OpIndex,
    int Iteration,
    string OpType,
    string Signature,
    int OutputIndex,
    long TensorId,
    long Bytes,
    string Decision,
    string Outcome,
    int PredictedReads,
    int Reads,
    int Hits,
    int Misses,
    bool EvictedLive,
    bool Dropped,
    bool ReleasedUnread,
    int EndOpIndex,
    long ExternalBytes);

/// <summary>A decision the oracle would have taken the other way.</summary>
/// <param name="OpIndex">The producing op.</param>
/// <param name="Iteration">Its iteration.</param>
/// <param name="OpType">Its type.</param>
/// <param name="Signature">Signature of the producing op.</param>
/// <param name="OutputIndex">Which output.</param>
/// <param name="TensorId">The tensor.</param>
/// <param name="Bytes">Its device bytes.</param>
/// <param name="PolicyHold">What the policy decided (true: hold).</param>
/// <param name="OracleHold">What the oracle decided.</param>
public readonly record struct DisagreementEntry(
    int OpIndex,
    int Iteration,
    string OpType,
    string Signature,
    int OutputIndex,
    long TensorId,
    long Bytes,
    bool PolicyHold,
    bool OracleHold);
