using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Multi-head self-attention as BERT's reference implementation (<c>modeling.py</c>,
/// <c>attention_layer</c> plus the output projection) emits it, on an input [N, S, H] viewed as
/// [N·S, H]: Dense query, key and value (MatMul, BiasAdd each); Reshape [N, S, heads, d] (view) and
/// Transpose [0, 2, 1, 3] for query and key; BatchMatMulV2 q·kᵀ (<c>adj_y</c>); Mul by 1/sqrt(d);
/// Softmax; (dropout: identity); Reshape and Transpose of value; BatchMatMulV2 probs·v; Transpose
/// [0, 2, 1, 3]; Reshape [N·S, heads·d] (view); Dense output (MatMul, BiasAdd); Reshape [N, S, out]
/// (view). No attention mask is added (every position is valid). Sixteen ops.
/// </summary>
public sealed class MultiHeadAttention : Layer
{
    private readonly Dense _query;
    private readonly Dense _key;
    private readonly Dense _value;
    private readonly Dense _output;

    /// <summary>Creates the layer.</summary>
    /// <param name="num_heads">Number of heads.</param>
    /// <param name="key_dim">Size per head d.</param>
    /// <param name="output_dim">Output features (default num_heads·key_dim).</param>
    /// <param name="name">Layer name.</param>
    public MultiHeadAttention(int num_heads, int key_dim, int? output_dim = null, string? name = null) : base(name)
    {
        if (num_heads <= 0 || key_dim <= 0)
        {
            throw new ArgumentException($"num_heads and key_dim must be positive, got {num_heads} and {key_dim}");
        }
        NumHeads = num_heads;
        KeyDim = key_dim;
        var inner = num_heads * key_dim;
        _query = Track(new Dense(inner, name: Name + "/query"));
        _key = Track(new Dense(inner, name: Name + "/key"));
        _value = Track(new Dense(inner, name: Name + "/value"));
        _output = Track(new Dense(output_dim ?? inner, name: Name + "/output"));
    }

    /// <summary>Number of heads.</summary>
    public int NumHeads { get; }

    /// <summary>Size per head.</summary>
    public int KeyDim { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype)
    {
        ExpectRank(inputShape, 3);
        var rows = inputShape[0] * inputShape[1];
        var flat = new Shape(rows, inputShape[2]);
        _query.Build(flat, dtype);
        _key.Build(flat, dtype);
        _value.Build(flat, dtype);
        _output.Build(new Shape(rows, (long)NumHeads * KeyDim), dtype);
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        var n = input.shape[0];
        var s = input.shape[1];
        var x2 = Emit.Reshape(input, n * s, input.shape[2]);
        var q = _query.Call(x2);
        var k = _key.Call(x2);
        var v = _value.Call(x2);
        x2.Dispose();
        q = q.Then(SplitHeads);
        k = k.Then(SplitHeads);
        var scores = tf.matmul(q, k, transpose_b: true);
        q.Dispose();
        k.Dispose();
        scores = scores.Then(a => Emit.WithScalar(a, 1.0 / Math.Sqrt(KeyDim), c => tf.multiply(a, c)));
        var probs = scores.Then(a => tf.nn.softmax(a));
        v = v.Then(SplitHeads);
        var context = tf.matmul(probs, v);
        probs.Dispose();
        v.Dispose();
        context = context.Then(a => Emit.Scoped(() => tf.transpose(a, new[] { 0, 2, 1, 3 })));
        context = context.Then(a => Emit.Reshape(a, n * s, (long)NumHeads * KeyDim));
        var y = context.Then(a => _output.Call(a));
        return y.Then(a => Emit.Reshape(a, n, s, a.shape[1]));

        Tensor SplitHeads(Tensor t) =>
            Emit.Reshape(t, n, s, NumHeads, KeyDim).Then(r => Emit.Scoped(() => tf.transpose(r, new[] { 0, 2, 1, 3 })));
    }
}
