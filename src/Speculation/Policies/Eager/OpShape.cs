using OnSram.Accelerator.Cost;
using OnSram.Speculation.Events;

namespace OnSram.Speculation.Policies.Eager;

/// <summary>
/// One op's charging situation rebuilt outside the simulator: its distinct inputs (resident in the SPM or
/// streamed), its outputs (held or written back), the live victims written back during it and its staging
/// space. <see cref="Price"/> charges it with the cost model, optionally with one thing changed, so a policy
/// can price a counterfactual ("what if this input had been a hit", "what if this tensor had not taken SPM
/// space") exactly as the simulator would have charged it, other things equal.
/// </summary>
internal sealed class OpShape
{
    private readonly long[] _inIds;
    private readonly long[] _inBytes;
    private readonly bool[] _inResident;
    private readonly long[] _outIds;
    private readonly long[] _outBytes;
    private readonly bool[] _outHeld;

    private OpShape(OpEvent op, long[] inIds, long[] inBytes, bool[] inResident, long[] outIds, long[] outBytes, bool[] outHeld)
    {
        Op = op;
        _inIds = inIds;
        _inBytes = inBytes;
        _inResident = inResident;
        _outIds = outIds;
        _outBytes = outBytes;
        _outHeld = outHeld;
    }

    /// <summary>The op.</summary>
    public OpEvent Op { get; }

    /// <summary>Device bytes of live victims written back during the op.</summary>
    public long EvictionWriteBackBytes { get; set; }

    /// <summary>SPM bytes left for the op's tiles.</summary>
    public long StagingBytes { get; set; }

    /// <summary>Number of distinct inputs.</summary>
    public int InputCount => _inIds.Length;

    /// <summary>Number of outputs.</summary>
    public int OutputCount => _outIds.Length;

    /// <summary>Id of distinct input <paramref name="i"/>.</summary>
    public long InputId(int i) => _inIds[i];

    /// <summary>Device bytes of distinct input <paramref name="i"/>.</summary>
    public long InputBytes(int i) => _inBytes[i];

    /// <summary>True when distinct input <paramref name="i"/> is read from the SPM.</summary>
    public bool IsResident(int i) => _inResident[i];

    /// <summary>Sets where distinct input <paramref name="i"/> is read from.</summary>
    public void SetResident(int i, bool resident) => _inResident[i] = resident;

    /// <summary>Sets where the distinct input with id <paramref name="id"/> is read from (ignored when absent).</summary>
    public void SetResidentById(long id, bool resident)
    {
        var i = IndexOfInput(id);
        if (i >= 0)
        {
            _inResident[i] = resident;
        }
    }

    /// <summary>Index of the distinct input with id <paramref name="id"/>, or -1.</summary>
    public int IndexOfInput(long id) => Array.IndexOf(_inIds, id);

    /// <summary>Id of output <paramref name="j"/>.</summary>
    public long OutputId(int j) => _outIds[j];

    /// <summary>Device bytes of output <paramref name="j"/>.</summary>
    public long OutputBytes(int j) => _outBytes[j];

    /// <summary>True when output <paramref name="j"/> is held (not written back).</summary>
    public bool IsHeld(int j) => _outHeld[j];

    /// <summary>Sets whether output <paramref name="j"/> is held.</summary>
    public void SetHeld(int j, bool held) => _outHeld[j] = held;

    /// <summary>
    /// The shape of <paramref name="op"/> with every input streamed and every output written back (the
    /// baseline situation), no victims and <paramref name="stagingBytes"/> of staging space.
    /// </summary>
    public static OpShape Of(in OpEvent op, int deviceFloatBytes, long stagingBytes)
    {
        var inputs = op.Inputs ?? Array.Empty<TensorInfo>();
        var ids = new List<long>(inputs.Length);
        var bytes = new List<long>(inputs.Length);
        foreach (var t in inputs)
        {
            if (ids.Contains(t.Id))
            {
                continue;
            }
            ids.Add(t.Id);
            bytes.Add(t.DeviceBytes(deviceFloatBytes));
        }
        var outputs = op.Outputs ?? Array.Empty<TensorInfo>();
        var outIds = new long[outputs.Length];
        var outBytes = new long[outputs.Length];
        for (var j = 0; j < outputs.Length; j++)
        {
            outIds[j] = outputs[j].Id;
            outBytes[j] = outputs[j].DeviceBytes(deviceFloatBytes);
        }
        return new OpShape(op, ids.ToArray(), bytes.ToArray(), new bool[ids.Count], outIds, outBytes, new bool[outputs.Length])
        {
            StagingBytes = stagingBytes,
        };
    }

    /// <summary>A copy (counterfactuals mutate copies).</summary>
    public OpShape Clone() => new(Op, _inIds, _inBytes, (bool[])_inResident.Clone(), _outIds, _outBytes, (bool[])_outHeld.Clone())
    {
        EvictionWriteBackBytes = EvictionWriteBackBytes,
        StagingBytes = StagingBytes,
    };

    /// <summary>
    /// Charges the op as the simulator would, with optional changes: input <paramref name="inputId"/> read
    /// from the SPM (<paramref name="inputResident"/> true) or streamed; output <paramref name="outputIndex"/>
    /// held or written; staging space and victims' write-back shifted by the given deltas (clamped at 0).
    /// </summary>
    public OpCost Price(ICostModel cost, long inputId = long.MinValue, bool inputResident = false,
        int outputIndex = -1, bool outputHeld = false, long stagingDelta = 0, long evictionDelta = 0) =>
        cost.Cost(Input(inputId, inputResident, outputIndex, outputHeld, stagingDelta, evictionDelta));

    /// <summary>The cost model's input for the op, with the optional changes of <see cref="Price"/>.</summary>
    public OpCostInput Input(long inputId = long.MinValue, bool inputResident = false,
        int outputIndex = -1, bool outputHeld = false, long stagingDelta = 0, long evictionDelta = 0)
    {
        long inputBytes = 0, streamed = 0, largest = 0, first = 0;
        for (var i = 0; i < _inIds.Length; i++)
        {
            var b = _inBytes[i];
            inputBytes += b;
            var resident = _inIds[i] == inputId ? inputResident : _inResident[i];
            if (resident)
            {
                continue;
            }
            streamed += b;
            if (b > largest)
            {
                largest = b;
            }
            if (i == 0)
            {
                first = b;
            }
        }
        long outputBytes = 0, written = 0;
        for (var j = 0; j < _outIds.Length; j++)
        {
            outputBytes += _outBytes[j];
            var held = j == outputIndex ? outputHeld : _outHeld[j];
            if (!held)
            {
                written += _outBytes[j];
            }
        }
        var staging = Math.Max(0, StagingBytes + stagingDelta);
        var evict = Math.Max(0, EvictionWriteBackBytes + evictionDelta);
        var op = Op;
        return new OpCostInput(op.Unit, op.Flops, inputBytes, streamed, largest, first,
            op.Traits.InputReuse, outputBytes, written, evict, staging);
    }

    /// <summary>Seconds the op takes as it stands.</summary>
    public double Seconds(ICostModel cost) => Price(cost).Seconds;

    /// <summary>
    /// True when a change of the staging space by <paramref name="stagingDelta"/> cannot change the op's time:
    /// the streamed working set fits the smaller staging space, nothing is streamed, or the op runs on the vector
    /// array (which streams through the reserved buffer). A fast path that avoids pricing most ops when only the
    /// staging space changes.
    /// </summary>
    public bool StagingIrrelevant(long stagingDelta)
    {
        long streamed = 0, written = 0;
        for (var i = 0; i < _inIds.Length; i++)
        {
            if (!_inResident[i])
            {
                streamed += _inBytes[i];
            }
        }
        if (streamed == 0)
        {
            return true;
        }
        for (var j = 0; j < _outIds.Length; j++)
        {
            if (!_outHeld[j])
            {
                written += _outBytes[j];
            }
        }
        var low = Math.Max(0, StagingBytes + Math.Min(0, stagingDelta));
        if (streamed + written <= low)
        {
            return true;
        }
        // Vector ops stream through the reserved buffer: always ideal (docs/cost-model.md, "Tiling").
        return Op.Unit == OnSram.Accelerator.ComputeUnit.Vector;
    }
}
