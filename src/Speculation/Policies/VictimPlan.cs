namespace OnSram.Speculation.Policies;

/// <summary>
/// The victims a policy planned while deciding to hold one output: filled during <c>Decide</c>, bound
/// to the output once the decision is a hold, then handed out in order by
/// <see cref="IVictimSelector.TryChooseVictim"/> for that output only. Eager and oracle share it.
/// </summary>
internal sealed class VictimPlan
{
    private readonly List<long> _victims = new();
    private int _position;
    private long _forTensor = -1;

    /// <summary>Number of planned victims.</summary>
    public int Count => _victims.Count;

    /// <summary>Forgets the plan (start of a decision).</summary>
    public void Reset()
    {
        _victims.Clear();
        _position = 0;
        _forTensor = -1;
    }

    /// <summary>Drops the planned victims (the decision turned to a discard).</summary>
    public void Clear() => _victims.Clear();

    /// <summary>Plans <paramref name="tensorId"/> as the next victim.</summary>
    public void Add(long tensorId) => _victims.Add(tensorId);

    /// <summary>Binds the plan to the output being held, when there is one.</summary>
    public void BindIfHold(HoldDecision decision, long outputTensorId)
    {
        if (decision.IsHold && _victims.Count > 0)
        {
            _forTensor = outputTensorId;
        }
    }

    /// <summary>The next planned victim that is still evictable, for the output the plan was made for;
    /// false when the plan is spent or belongs to another output (the policy then gives up rather than
    /// evict beyond its plan).</summary>
    public bool TryNext(in EvictionRequest request, out long victimTensorId)
    {
        victimTensorId = 0;
        if (_forTensor != request.Hold.Tensor.Id)
        {
            return false;
        }
        while (_position < _victims.Count)
        {
            var id = _victims[_position++];
            if (request.State.IsEvictable(id))
            {
                victimTensorId = id;
                return true;
            }
        }
        return false;
    }
}
