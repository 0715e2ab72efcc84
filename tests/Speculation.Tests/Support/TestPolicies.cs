using OnSram.Speculation.Events;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Policies.Lru;

namespace OnSram.Speculation.Tests.Support;

/// <summary>Holds every output; never evicts.</summary>
public sealed class HoldAllPolicy : ISpmPolicy
{
    public string Name => "hold-all";

    public HoldDecision Decide(in HoldRequest request) => HoldDecision.Hold("test holds all");
}

/// <summary>LRU that also records every feedback call.</summary>
public sealed class RecordingLruPolicy : ISpmPolicy, IVictimSelector, ISpmFeedback
{
    private readonly LruPolicy _lru = new();

    public string Name => "lru-recording";

    public List<string> Log { get; } = new();

    public List<HoldRequest> Requests { get; } = new();

    public HoldDecision Decide(in HoldRequest request)
    {
        Requests.Add(request);
        return _lru.Decide(in request);
    }

    public bool TryChooseVictim(in EvictionRequest request, out long victimTensorId) => _lru.TryChooseVictim(in request, out victimTensorId);

    public void OnInputRead(in InputReadFeedback read) => Log.Add($"read op{read.OpIndex} t{read.TensorId} {read.Source}");

    public void OnHoldOutcome(in HoldOutcomeFeedback outcome) =>
        Log.Add($"hold op{outcome.OpIndex} t{outcome.TensorId} held={outcome.Held} evictions={outcome.Evictions} frag={outcome.FragmentationFailures}");

    public void OnOpCharged(in OpChargedFeedback op) =>
        Log.Add($"charged op{op.OpIndex} it{op.Iteration} read={op.Cost.ExternalReadBytes} write={op.Cost.ExternalWriteBytes} memory-bound={op.Cost.IsMemoryBound}");

    public void OnEvicted(in EvictionFeedback eviction) =>
        Log.Add($"{eviction.Reason} op{eviction.OpIndex} t{eviction.TensorId} live={eviction.WasLive} written={eviction.WrittenBack} hits={eviction.ReadsWhileHeld}");

    public void OnReleased(in ReleaseFeedback release) =>
        Log.Add($"released t{release.TensorId} held={release.WasHeld} unread={release.HeldUnread} written={release.WrittenBack}");

    public void OnMark(in MarkFeedback mark) => Log.Add($"mark {mark.Label} it{mark.Iteration} after {mark.OpsBefore} ops");
}

/// <summary>The recording LRU, seeing the whole stream first (so dead victims cost no write-back).</summary>
public sealed class PreviewingLruPolicy : ISpmPolicy, IVictimSelector, ISpmFeedback, IStreamPreview
{
    public RecordingLruPolicy Inner { get; } = new();

    public IReadOnlyList<SimEvent>? Previewed { get; private set; }

    public int RequestsBeforePreview { get; private set; } = -1;

    public string Name => "lru-preview";

    public HoldDecision Decide(in HoldRequest request) => Inner.Decide(in request);

    public bool TryChooseVictim(in EvictionRequest request, out long victimTensorId) => Inner.TryChooseVictim(in request, out victimTensorId);

    public void OnEvicted(in EvictionFeedback eviction) => Inner.OnEvicted(in eviction);

    public void Preview(IReadOnlyList<SimEvent> events)
    {
        RequestsBeforePreview = Inner.Requests.Count;
        Previewed = events;
    }
}

/// <summary>Holds everything and, after each op, drops the tensors that op read.</summary>
public sealed class DropAfterReadPolicy : ISpmPolicy, IPostOpPolicy
{
    public string Name => "drop-after-read";

    public HoldDecision Decide(in HoldRequest request) => HoldDecision.Hold("hold");

    public void AfterOp(in OpChargedFeedback op, ISpmControl control)
    {
        foreach (var input in op.Op.Inputs)
        {
            control.Drop(input.Id, "read once");
        }
    }
}

/// <summary>Names a victim it is not allowed to name.</summary>
public sealed class BadVictimPolicy(long victim) : ISpmPolicy, IVictimSelector
{
    public string Name => "bad-victim";

    public HoldDecision Decide(in HoldRequest request) => HoldDecision.Hold("hold");

    public bool TryChooseVictim(in EvictionRequest request, out long victimTensorId)
    {
        victimTensorId = victim;
        return true;
    }
}
