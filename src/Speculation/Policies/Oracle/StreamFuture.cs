using OnSram.Speculation.Events;

namespace OnSram.Speculation.Policies.Oracle;

/// <summary>
/// The whole event stream, indexed for questions about the future: which ops read each tensor instance (a
/// tensor id from its production to its release or re-production), the next use after an op, the last use
/// before an op.
/// </summary>
internal sealed class StreamFuture
{
    private readonly OpEvent[] _ops;
    private readonly int[][] _outputs;
    private readonly int[][] _inputs;
    private readonly Instance[] _instances;

    private StreamFuture(OpEvent[] ops, int[][] outputs, int[][] inputs, Instance[] instances)
    {
        _ops = ops;
        _outputs = outputs;
        _inputs = inputs;
        _instances = instances;
    }

    /// <summary>Number of ops.</summary>
    public int OpCount => _ops.Length;

    /// <summary>The op with index <paramref name="opIndex"/>.</summary>
    public ref readonly OpEvent Op(int opIndex) => ref _ops[opIndex];

    /// <summary>Instance produced as output <paramref name="output"/> of op <paramref name="opIndex"/>.</summary>
    public int OutputInstance(int opIndex, int output) => _outputs[opIndex][output];

    /// <summary>Instances produced by op <paramref name="opIndex"/>, by output index.</summary>
    public int[] OutputInstances(int opIndex) => _outputs[opIndex];

    /// <summary>Instance read by distinct input <paramref name="input"/> of the op (in <c>OpShape</c> order), or -1
    /// for an external tensor.</summary>
    public int InputInstance(int opIndex, int input) => _inputs[opIndex][input];

    /// <summary>The instance.</summary>
    public ref readonly Instance Get(int instance) => ref _instances[instance];

    /// <summary>First op after <paramref name="after"/> reading the instance, or -1 (none: dead).</summary>
    public int NextUse(int instance, int after)
    {
        var uses = _instances[instance].Uses;
        var i = Array.BinarySearch(uses, after + 1);
        if (i < 0)
        {
            i = ~i;
        }
        return i < uses.Length ? uses[i] : -1;
    }

    /// <summary>Last op before <paramref name="before"/> reading the instance, or -1.</summary>
    public int LastUseBefore(int instance, int before)
    {
        var uses = _instances[instance].Uses;
        var i = Array.BinarySearch(uses, before);
        if (i < 0)
        {
            i = ~i;
        }
        return i > 0 ? uses[i - 1] : -1;
    }

    /// <summary>Number of uses after <paramref name="after"/>.</summary>
    public int UsesAfter(int instance, int after)
    {
        var uses = _instances[instance].Uses;
        var i = Array.BinarySearch(uses, after + 1);
        if (i < 0)
        {
            i = ~i;
        }
        return uses.Length - i;
    }

    /// <summary>Indexes <paramref name="events"/>.</summary>
    public static StreamFuture Build(IReadOnlyList<SimEvent> events, int deviceFloatBytes, long alignment)
    {
        var ops = new List<OpEvent>();
        var outputs = new List<int[]>();
        var inputs = new List<int[]>();
        var instances = new List<Instance>();
        var uses = new List<List<int>>();
        var current = new Dictionary<long, int>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case SimEventKind.Op:
                {
                    var k = ops.Count;
                    if (e.OpIndex != k)
                    {
                        throw new ArgumentException($"op events must be numbered 0, 1, 2, ...: op {k} has index {e.OpIndex}", nameof(events));
                    }
                    var op = e.Op;
                    ops.Add(op);
                    var ins = op.Inputs ?? Array.Empty<TensorInfo>();
                    var seen = new List<long>(ins.Length);
                    var read = new List<int>(ins.Length);
                    foreach (var t in ins)
                    {
                        if (seen.Contains(t.Id))
                        {
                            continue;
                        }
                        seen.Add(t.Id);
                        if (current.TryGetValue(t.Id, out var inst))
                        {
                            var u = uses[inst];
                            if (u.Count == 0 || u[^1] != k)
                            {
                                u.Add(k);
                            }
                            read.Add(inst);
                        }
                        else
                        {
                            read.Add(-1);
                        }
                    }
                    inputs.Add(read.ToArray());
                    var outs = op.Outputs ?? Array.Empty<TensorInfo>();
                    var made = new int[outs.Length];
                    for (var j = 0; j < outs.Length; j++)
                    {
                        var bytes = outs[j].DeviceBytes(deviceFloatBytes);
                        var block = bytes <= 0 ? alignment : (bytes + alignment - 1) & ~(alignment - 1);
                        made[j] = instances.Count;
                        instances.Add(new Instance(outs[j].Id, k, j, bytes, block, Array.Empty<int>()));
                        uses.Add(new List<int>());
                        current[outs[j].Id] = made[j];
                    }
                    outputs.Add(made);
                    break;
                }
                case SimEventKind.Release:
                    current.Remove(e.TensorId);
                    break;
            }
        }
        var all = instances.ToArray();
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = all[i] with { Uses = uses[i].ToArray() };
        }
        return new StreamFuture(ops.ToArray(), outputs.ToArray(), inputs.ToArray(), all);
    }

    /// <summary>One tensor instance.</summary>
    /// <param name="TensorId">Its id.</param>
    /// <param name="Producer">The producing op.</param>
    /// <param name="Output">Which output of it.</param>
    /// <param name="Bytes">Device bytes.</param>
    /// <param name="Block">SPM block bytes.</param>
    /// <param name="Uses">Ops reading it, ascending, each once.</param>
    internal readonly record struct Instance(long TensorId, int Producer, int Output, long Bytes, long Block, int[] Uses);
}
