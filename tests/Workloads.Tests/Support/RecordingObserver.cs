using OnSram.Runtime;

namespace OnSram.Workloads.Tests.Support;

/// <summary>One reported event, in order.</summary>
public sealed record RecordedEvent(string Kind, string? OpType, long[] Inputs, long[] Outputs, string? Label, OpExecution? Op);

/// <summary>Records every op, release and mark the dispatch point reports.</summary>
public sealed class RecordingObserver : IEagerObserver
{
    public List<RecordedEvent> Events { get; } = new();

    public IEnumerable<OpExecution> Ops => Events.Where(e => e.Kind == "op").Select(e => e.Op!.Value);

    public IEnumerable<long> Released => Events.Where(e => e.Kind == "free").Select(e => e.Inputs[0]);

    public void OnOp(in OpExecution op) =>
        Events.Add(new RecordedEvent("op", op.OpType, op.Inputs.Select(i => i.Id).ToArray(), op.Outputs.Select(o => o.Id).ToArray(), null, op));

    public void OnRelease(in TensorDescriptor tensor) =>
        Events.Add(new RecordedEvent("free", null, new[] { tensor.Id }, Array.Empty<long>(), null, null));

    public void OnMark(string label) => Events.Add(new RecordedEvent("mark", null, Array.Empty<long>(), Array.Empty<long>(), label, null));

    /// <summary>Op counts by type.</summary>
    public Dictionary<string, int> CountByType() =>
        Ops.GroupBy(o => o.OpType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public void Clear() => Events.Clear();
}
