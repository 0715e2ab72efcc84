using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Keras <c>LSTM</c> unrolled op by op, as eager Keras runs <c>LSTMCell</c> (implementation 2, gates
/// ordered i, f, c, o) at every timestep t:
/// StridedSlice x[:, t, :]; MatMul x_t·W; MatMul h·U; AddV2; BiasAdd; four StridedSlice z[:, k·u:(k+1)·u]
/// (standing in for the one Split op of <c>tf.split</c>, so that each gate is its own tensor);
/// Sigmoid(i); Sigmoid(f); Mul f·c; Tanh(g); Mul i·g; AddV2 (new c); Sigmoid(o); Tanh(c); Mul (new h):
/// 18 ops a step. The initial state is zeros (host constants, as Keras creates small zero states).
/// With <c>return_sequences</c> the per-step outputs are joined by one ConcatV2 on axis 1 (after
/// ExpandDims views), standing in for Keras's Pack+Transpose.
/// Parameters: kernel [D, 4u], recurrent kernel [u, 4u], bias [4u].
/// </summary>
public sealed class LSTM : Layer
{
    private Tensor? _kernel;
    private Tensor? _recurrent;
    private Tensor? _bias;

    /// <summary>Creates the layer.</summary>
    /// <param name="units">Hidden size u.</param>
    /// <param name="return_sequences">Return [N, T, u] (every step) instead of [N, u] (the last step).</param>
    /// <param name="name">Layer name.</param>
    public LSTM(int units, bool return_sequences = false, string? name = null) : base(name)
    {
        if (units <= 0)
        {
            throw new ArgumentException($"units must be positive, got {units}");
        }
        Units = units;
        ReturnSequences = return_sequences;
    }

    /// <summary>Hidden size.</summary>
    public int Units { get; }

    /// <summary>Whether every step's output is returned.</summary>
    public bool ReturnSequences { get; }

    /// <summary>Ops emitted per timestep.</summary>
    public const int OpsPerStep = 18;

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype)
    {
        ExpectRank(inputShape, 3);
        var gates = 4L * Units;
        _kernel = AddWeight("kernel", new Shape(inputShape[2], gates), dtype, Initializer.GlorotNormal);
        _recurrent = AddWeight("recurrent_kernel", new Shape(Units, gates), dtype, Initializer.GlorotNormal);
        _bias = AddWeight("bias", new Shape(gates), dtype, Initializer.Bias);
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        var n = input.shape[0];
        var steps = (int)input.shape[1];
        if (steps == 0)
        {
            throw new ArgumentException($"layer '{Name}' (LSTM) needs at least one timestep");
        }
        var h = tf.zeros(new Shape(n, Units), input.dtype);
        var c = tf.zeros(new Shape(n, Units), input.dtype);
        var outputs = new List<Tensor>(steps);
        for (var t = 0; t < steps; t++)
        {
            var (hNew, cNew) = Step(input, t, h, c);
            if (!ReturnSequences || t == 0)
            {
                h.Dispose();
            }
            c.Dispose();
            if (ReturnSequences)
            {
                outputs.Add(hNew);
            }
            h = hNew;
            c = cNew;
        }
        c.Dispose();
        if (!ReturnSequences)
        {
            return h;
        }
        var expanded = outputs.Select(o => Emit.Scoped(() => tf.expand_dims(o, 1))).ToArray();
        var y = expanded.Length == 1 ? tf.identity(expanded[0]) : Emit.Scoped(() => tf.concat(expanded, 1));
        foreach (var e in expanded)
        {
            e.Dispose();
        }
        foreach (var o in outputs)
        {
            o.Dispose();
        }
        return y;
    }

    private (Tensor H, Tensor C) Step(Tensor input, int t, Tensor h, Tensor c)
    {
        var u = Units;
        var xt = Emit.Scoped(() => tf.strided_slice(input, new[] { 0, t, 0 }, new[] { 0, t + 1, 0 },
            begin_mask: 0b101, end_mask: 0b101, shrink_axis_mask: 0b010));
        var z = xt.Then(x => tf.matmul(x, _kernel!));
        var hu = tf.matmul(h, _recurrent!);
        z = z.Then(a => tf.add(a, hu));
        hu.Dispose();
        z = z.Then(a => tf.nn.bias_add(a, _bias!));
        var gate = new Tensor[4];
        for (var k = 0; k < 4; k++)
        {
            var lo = k * u;
            gate[k] = Emit.Scoped(() => tf.strided_slice(z, new[] { 0, lo }, new[] { 0, lo + u }, begin_mask: 0b01, end_mask: 0b01));
        }
        z.Dispose();
        var i = gate[0].Then(g => tf.nn.sigmoid(g));
        var f = gate[1].Then(g => tf.nn.sigmoid(g));
        var fc = f.Then(a => tf.multiply(a, c));
        var g2 = gate[2].Then(g => tf.nn.tanh(g));
        var ig = tf.multiply(i, g2);
        i.Dispose();
        g2.Dispose();
        var cNew = tf.add(fc, ig);
        fc.Dispose();
        ig.Dispose();
        var o = gate[3].Then(g => tf.nn.sigmoid(g));
        var tc = tf.nn.tanh(cNew);
        var hNew = tf.multiply(o, tc);
        o.Dispose();
        tc.Dispose();
        return (hNew, cNew);
    }
}
