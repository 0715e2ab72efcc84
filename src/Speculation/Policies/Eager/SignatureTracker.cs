using OnSram.Speculation.Events;

namespace OnSram.Speculation.Policies.Eager;

/// <summary>The signature of one executed op, with its parts.</summary>
/// <param name="Base">Hash of what the op is: type, attributes, input and output shapes and element kinds.</param>
/// <param name="Context">Hash of <paramref name="Base"/> and of where its inputs came from (the base signature and
/// output index of each input's producer, or "external").</param>
/// <param name="Occurrence">How many ops with the same context ran before it since the last iteration mark.</param>
/// <param name="Value">The signature: hash of context and occurrence. Stable across iterations, different for two
/// identical-looking layers of one iteration.</param>
public readonly record struct OpSignature(ulong Base, ulong Context, int Occurrence, ulong Value)
{
    /// <summary>The history key of output <paramref name="output"/>.</summary>
    public HistoryKey Key(int output) => new(Value, output);
}

/// <summary>
/// Computes op signatures from the event stream (see <c>docs/eager.md</c>, "Signature"):
/// <c>sig = H(H(base, producers of the inputs), occurrence)</c>, where the occurrence counter of a context is
/// reset at every <c>iteration</c> mark. A stream without marks gets an implicit restart when the very first
/// op's context comes round again while no device tensor is alive.
/// </summary>
internal sealed class SignatureTracker
{
    private const byte ExternalTag = 0xE1;
    private const byte DeviceTag = 0xD1;

    // Live device tensors: id -> (base signature of the producer, output index).
    private readonly Dictionary<long, (ulong Base, int Output)> _producers = new();
    private readonly Dictionary<ulong, int> _occurrences = new();
    private ulong? _firstContext;
    private bool _sawIterationMark;

    /// <summary>Signature of <paramref name="op"/>, counting it as one more occurrence of its context.</summary>
    public OpSignature Next(in OpEvent op)
    {
        var b = BaseOf(in op);
        var ctx = new Fnv64();
        ctx.Add(b);
        foreach (var input in op.Inputs ?? Array.Empty<TensorInfo>())
        {
            if (_producers.TryGetValue(input.Id, out var p))
            {
                ctx.Add(DeviceTag);
                ctx.Add(p.Base);
                ctx.Add((long)p.Output);
            }
            else
            {
                ctx.Add(ExternalTag);
            }
        }
        var context = ctx.Value;
        if (!_sawIterationMark)
        {
            if (_firstContext is null)
            {
                _firstContext = context;
            }
            else if (_firstContext == context && _producers.Count == 0)
            {
                // A stream without iteration marks started over (the first op again, with no device tensor alive):
                // count occurrences afresh, as a mark would.
                _occurrences.Clear();
            }
        }
        _occurrences.TryGetValue(context, out var n);
        _occurrences[context] = n + 1;
        var sig = new Fnv64();
        sig.Add(context);
        sig.Add((long)n);
        var signature = new OpSignature(b, context, n, sig.Value);
        var outputs = op.Outputs ?? Array.Empty<TensorInfo>();
        for (var j = 0; j < outputs.Length; j++)
        {
            _producers[outputs[j].Id] = (b, j);
        }
        return signature;
    }

    /// <summary>A tensor was released: it no longer gives context.</summary>
    public void Released(long tensorId) => _producers.Remove(tensorId);

    /// <summary>An iteration mark: occurrence counters start again.</summary>
    public void IterationMark()
    {
        _sawIterationMark = true;
        _occurrences.Clear();
    }

    /// <summary>Hash of the op's type, attributes and the shapes and element kinds of its inputs and outputs.</summary>
    public static ulong BaseOf(in OpEvent op)
    {
        var h = new Fnv64();
        h.Add(op.OpType);
        h.Add(op.AttrKey);
        h.Add((long)op.Unit);
        AddTensors(ref h, op.Inputs);
        AddTensors(ref h, op.Outputs);
        return h.Value;
    }

    private static void AddTensors(ref Fnv64 h, TensorInfo[]? tensors)
    {
        tensors ??= Array.Empty<TensorInfo>();
        h.Add((long)tensors.Length);
        foreach (var t in tensors)
        {
            var shape = t.Shape ?? Array.Empty<long>();
            h.Add((long)shape.Length);
            foreach (var d in shape)
            {
                h.Add(d);
            }
            h.Add((long)t.HostElementBytes);
            h.Add((byte)(t.IsFloating ? 1 : 0));
        }
    }
}
