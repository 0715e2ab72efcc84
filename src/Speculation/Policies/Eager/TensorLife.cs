namespace OnSram.Speculation.Policies.Eager;

/// <summary>
/// The observation of one decided tensor while it lives: what was decided and predicted, and what happened
/// (reads with their distance and value, time spent in the SPM, how it left). When the life ends it becomes the
/// new content of its history entry (<see cref="OnSramEagerPolicy"/>).
/// </summary>
internal sealed class TensorLife
{
    private readonly List<ReadRecord> _reads = new(2);
    private readonly List<int> _readOps = new(2);

    public TensorLife(long tensorId, HistoryKey key, string opType, long[] shape, int producerOp, int iteration, long bytes, long blockBytes, long allocatedAtProduction)
    {
        TensorId = tensorId;
        Key = key;
        OpType = opType;
        Shape = shape;
        ProducerOp = producerOp;
        Iteration = iteration;
        Bytes = bytes;
        BlockBytes = blockBytes;
        AllocatedAtProduction = allocatedAtProduction;
        LastUseOp = producerOp;
    }

    public long TensorId { get; }

    public HistoryKey Key { get; }

    public string OpType { get; }

    public long[] Shape { get; }

    public int ProducerOp { get; }

    public int Iteration { get; }

    public long Bytes { get; }

    public long BlockBytes { get; }

    /// <summary>Bytes allocated by ops up to and including the producer.</summary>
    public long AllocatedAtProduction { get; set; }

    /// <summary>The entry the decision was taken from (null: unknown signature, the default rule).</summary>
    public HistoryEntry? Entry { get; set; }

    public bool DecidedHold { get; set; }

    /// <summary>True when its decision counted a write-back for when it leaves (or it follows the cold-start rule).</summary>
    public bool LeaveAnticipated { get; set; }

    public int PredictedReads { get; set; } = -1;

    /// <summary>True while the tensor is in the SPM.</summary>
    public bool Held { get; set; }

    /// <summary>True when it was in the SPM at some point.</summary>
    public bool EverHeld { get; set; }

    public bool HoldFailed { get; set; }

    public int Reads => _reads.Count;

    public IReadOnlyList<ReadRecord> ReadRecords => _reads;

    /// <summary>Ops that read it, ascending.</summary>
    public IReadOnlyList<int> ReadOps => _readOps;

    /// <summary>True once its life ended (released, replaced, or the run finished).</summary>
    public bool Ended { get; set; }

    /// <summary>Last op before <paramref name="before"/> that read it, or -1.</summary>
    public int LastReadBefore(int before)
    {
        for (var i = _readOps.Count - 1; i >= 0; i--)
        {
            if (_readOps[i] < before)
            {
                return _readOps[i];
            }
        }
        return -1;
    }

    public int Hits { get; set; }

    public int Misses { get; set; }

    public int MissesAfterLeaving { get; set; }

    public int LastReadOp { get; set; } = -1;

    public int LastUseOp { get; set; }

    /// <summary>True once it left the SPM before its release (evicted or dropped).</summary>
    public bool Left { get; set; }

    public bool Evicted { get; set; }

    public bool Dropped { get; set; }

    /// <summary>True when leaving wrote it back.</summary>
    public bool LeaveWroteBack { get; set; }

    /// <summary>True when it left without a write-back (called dead) and an op read it later: the simulator
    /// charged the write-back at that read.</summary>
    public bool WrittenLate { get; set; }

    /// <summary>True when its release wrote it back (held, never read: a result).</summary>
    public bool WrittenAtRelease { get; set; }

    /// <summary>Time its leaving (or, for a result held unread, its write-back at release) added.</summary>
    public double LeaveCostSeconds { get; set; }

    public double ProducerSavingSeconds { get; set; }

    /// <summary>Tiling cost of holding it, summed over the ops since its production that did not read it.</summary>
    public double TilingTotal { get; set; }

    /// <summary><see cref="TilingTotal"/> at its last read.</summary>
    public double TilingAtLastRead { get; set; }

    public void AddRead(int opIndex, long distanceBytes, double savingSeconds, long savingBytes, bool hit)
    {
        _reads.Add(new ReadRecord(Math.Max(1, opIndex - ProducerOp), Math.Max(0, distanceBytes), savingSeconds, savingBytes));
        _readOps.Add(opIndex);
        if (hit)
        {
            Hits++;
        }
        else
        {
            Misses++;
            if (Left)
            {
                MissesAfterLeaving++;
            }
        }
        LastReadOp = opIndex;
        LastUseOp = opIndex;
        TilingAtLastRead = TilingTotal;
    }
}
