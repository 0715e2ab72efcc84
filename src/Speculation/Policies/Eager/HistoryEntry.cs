namespace OnSram.Speculation.Policies.Eager;

/// <summary>Key of a history entry: the signature of the producing op and which of its outputs.</summary>
/// <param name="Signature">The op's signature (see <see cref="SignatureTracker"/>).</param>
/// <param name="Output">The output index.</param>
public readonly record struct HistoryKey(ulong Signature, int Output) : IComparable<HistoryKey>
{
    /// <inheritdoc />
    public int CompareTo(HistoryKey other)
    {
        var c = Signature.CompareTo(other.Signature);
        return c != 0 ? c : Output.CompareTo(other.Output);
    }

    /// <summary>Sixteen hex digits of the signature.</summary>
    public string SignatureHex => Fnv64.Hex(Signature);

    /// <inheritdoc />
    public override string ToString() => $"{SignatureHex}/{Output}";
}

/// <summary>What one read of a tensor looked like in the last observation.</summary>
/// <param name="DistanceOps">Ops from the producer to the reader (1: the next op).</param>
/// <param name="DistanceBytes">Device bytes of the outputs of the ops strictly between producer and reader.</param>
/// <param name="SavingSeconds">Time the reader saved (or would have saved) by finding the tensor in the SPM
/// rather than reading it from external memory, other things equal: 0 when the reader was compute-bound.</param>
/// <param name="SavingBytes">External bytes the reader saved (or would have saved) by a hit.</param>
public readonly record struct ReadRecord(int DistanceOps, long DistanceBytes, double SavingSeconds, long SavingBytes);

/// <summary>How the last hold of the entry ended.</summary>
/// <param name="ReadsServed">Reads the tensor served from the SPM (hits).</param>
/// <param name="LeftEarly">True when it was evicted for room while it was still needed (a read followed).</param>
/// <param name="LeaveCostSeconds">Time that write-back added (to the evicting op, or the stand-alone transfer
/// of a drop; the stand-alone write-back of a result held unread at its release).</param>
/// <param name="Iteration">Iteration of that hold.</param>
public readonly record struct HoldRecord(int ReadsServed, bool LeftEarly, double LeaveCostSeconds, int Iteration);

/// <summary>Counts of decisions and outcomes of an entry over every observation.</summary>
/// <param name="Holds">Times the tensor was held.</param>
/// <param name="Discards">Times it was discarded (written back at once).</param>
/// <param name="HoldFailures">Times a hold found no room.</param>
/// <param name="Hits">Reads served from the SPM.</param>
/// <param name="Misses">Reads served from external memory.</param>
/// <param name="EvictedLive">Holds that ended in an eviction before the release (a write-back).</param>
/// <param name="ReleasedUnread">Holds of a tensor no op read (a result written back at its release).</param>
/// <param name="Dropped">Holds ended by a speculative drop.</param>
/// <param name="DroppedThenRead">Drops followed by a read (a mispredicted release).</param>
public readonly record struct OutcomeCounts(
    long Holds,
    long Discards,
    long HoldFailures,
    long Hits,
    long Misses,
    long EvictedLive,
    long ReleasedUnread,
    long Dropped,
    long DroppedThenRead);

/// <summary>
/// One entry of the eager policy's history table: what happened, the last time(s), to the tensor produced as
/// output <see cref="HistoryKey.Output"/> of the op with signature <see cref="HistoryKey.Signature"/>.
/// Predictions are read from the last observation (a program repeats itself, so the last iteration is the best
/// predictor of the next); the counts keep the whole record. See <c>docs/eager.md</c>.
/// </summary>
public sealed class HistoryEntry
{
    internal HistoryEntry(HistoryKey key, string opType, long[] shape, long bytes)
    {
        Key = key;
        OpType = opType;
        Shape = shape;
        Bytes = bytes;
    }

    /// <summary>The key.</summary>
    public HistoryKey Key { get; }

    /// <summary>Op type of the producer (for people reading the table).</summary>
    public string OpType { get; }

    /// <summary>Shape of the output (for people reading the table).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Device bytes of the tensor.</summary>
    public long Bytes { get; internal set; }

    /// <summary>Completed lives observed (tensors released, or alive at the end of a run).</summary>
    public int Observations { get; internal set; }

    /// <summary>Reads in the last observation: the predicted number of reads.</summary>
    public int Reads => ReadRecords.Count;

    /// <summary>The reads of the last observation, in order.</summary>
    public IReadOnlyList<ReadRecord> ReadRecords { get; internal set; } = Array.Empty<ReadRecord>();

    /// <summary>Time the producing op saved (or would have saved) by not writing the tensor back, last observation.</summary>
    public double ProducerSavingSeconds { get; internal set; }

    /// <summary>Time holding the tensor cost (or would have cost) the other ops between its production and its
    /// last read, by taking staging space from their tiles (last observation).</summary>
    public double TilingCostSeconds { get; internal set; }

    /// <summary>
    /// Reads the tensor would have survived in the SPM in the last observation had it been held, with the tensors
    /// read sooner given priority (as Belady's rule keeps them): the leading reads <c>i</c> for which, at every op
    /// between production and read <c>i</c>, the blocks of the other tensors produced by then and read again before
    /// read <c>i</c>, plus its own block, fit the SPM. Computed in hindsight when the life ends, from the lives
    /// observed around it.
    /// </summary>
    public int SurvivableReads { get; internal set; }

    /// <summary>Ops executed between the last read and the release (0: released right after its last reader; -1:
    /// not released during the observation).</summary>
    public int ReleaseDistanceOps { get; internal set; } = -1;

    /// <summary>How the last hold ended (null when the tensor was never held).</summary>
    public HoldRecord? LastHold { get; internal set; }

    /// <summary>Counts of decisions and outcomes over every observation.</summary>
    public OutcomeCounts Counts { get; internal set; }

    /// <summary>Outcome of the last observation (<c>used</c>, <c>evicted_live</c>, <c>released_unread</c>, ... see
    /// <c>docs/eager.md</c>).</summary>
    public string LastOutcome { get; internal set; } = "";

    /// <summary>Reads the tensor is predicted to serve from the SPM when held: the predicted reads it would
    /// survive (<see cref="SurvivableReads"/>). The last hold's own fate is not used here: it depended on the
    /// decisions taken for the other tensors then (and on the cold-start default), which change.</summary>
    public int PredictedReadsServed => Math.Min(Reads, SurvivableReads);

    /// <summary>A deep copy.</summary>
    internal HistoryEntry Clone() => new(Key, OpType, Shape.ToArray(), Bytes)
    {
        Observations = Observations,
        ReadRecords = ReadRecords.ToArray(),
        ProducerSavingSeconds = ProducerSavingSeconds,
        TilingCostSeconds = TilingCostSeconds,
        SurvivableReads = SurvivableReads,
        ReleaseDistanceOps = ReleaseDistanceOps,
        LastHold = LastHold,
        Counts = Counts,
        LastOutcome = LastOutcome,
    };
}
