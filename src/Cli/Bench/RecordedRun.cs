using OnSram.Runtime;
using OnSram.Runtime.Ops;
using OnSram.Speculation.Events;
using OnSram.Workloads;

namespace OnSram.Cli.Bench;

/// <summary>
/// The event stream of one network run in meta mode (shapes only), kept in memory so that every policy
/// and every accelerator configuration is simulated on exactly the same stream without running the
/// network again. Tensor ids are renumbered densely in order of first appearance, so a recording does
/// not depend on what else the process ran before (the runtime's ids are process-wide).
/// </summary>
public sealed class RecordedRun
{
    private readonly Event[] _events;

    private RecordedRun(string network, int iterations, Event[] events, int ops)
    {
        Network = network;
        Iterations = iterations;
        _events = events;
        OpCount = ops;
    }

    /// <summary>Name of the network recorded.</summary>
    public string Network { get; }

    /// <summary>Forward passes recorded (one <c>iteration</c> mark after each).</summary>
    public int Iterations { get; }

    /// <summary>Ops in the stream (all iterations).</summary>
    public int OpCount { get; }

    /// <summary>
    /// Runs <paramref name="network"/> for <paramref name="iterations"/> passes in a fresh meta-mode
    /// context (activated on this flow only while it runs) and records what it reports.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="iterations">Forward passes.</param>
    /// <param name="registry">Op registry of the context (default: the runtime's).</param>
    public static RecordedRun Record(NetworkSpec network, int iterations, OpRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var context = new EagerContext(EagerOptions.Meta, registry);
        var recorder = new Recorder();
        using (context.Attach(recorder))
        using (context.Activate())
        {
            network.Run(iterations);
        }
        var failures = context.ObserverFailures;
        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"recording network '{network.Name}' failed: {failures[0]}");
        }
        return new RecordedRun(network.Name, iterations, recorder.Events.ToArray(), recorder.Ops);
    }

    /// <summary>Sends the recorded stream to <paramref name="sink"/> (ops, releases and marks, in order).</summary>
    public void Replay(IEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var e in _events)
        {
            switch (e.Kind)
            {
                case EventKind.Op:
                    var op = e.Op;
                    sink.OnOp(in op);
                    break;
                case EventKind.Release:
                    sink.OnRelease(e.TensorId);
                    break;
                default:
                    sink.OnMark(e.Label!);
                    break;
            }
        }
    }

    private enum EventKind
    {
        Op,
        Release,
        Mark,
    }

    private readonly record struct Event(EventKind Kind, OpEvent Op, long TensorId, string? Label);

    private sealed class Recorder : IEagerObserver
    {
        private readonly Dictionary<long, long> _ids = new();

        public List<Event> Events { get; } = new();

        public int Ops { get; private set; }

        public void OnOp(in OpExecution op)
        {
            var e = op.ToOpEvent();
            e = e with { Inputs = Renumber(e.Inputs), Outputs = Renumber(e.Outputs) };
            Events.Add(new Event(EventKind.Op, e, 0, null));
            Ops++;
        }

        public void OnRelease(in TensorDescriptor tensor)
        {
            // Tensors no op ever touched (host constants released unread) mean nothing to the simulator.
            if (_ids.TryGetValue(tensor.Id, out var id))
            {
                Events.Add(new Event(EventKind.Release, default, id, null));
            }
        }

        public void OnMark(string label) => Events.Add(new Event(EventKind.Mark, default, 0, label));

        private TensorInfo[] Renumber(TensorInfo[] tensors)
        {
            for (var i = 0; i < tensors.Length; i++)
            {
                if (!_ids.TryGetValue(tensors[i].Id, out var id))
                {
                    id = _ids.Count + 1;
                    _ids.Add(tensors[i].Id, id);
                }
                tensors[i] = tensors[i] with { Id = id };
            }
            return tensors;
        }
    }
}
