using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Keras activation names and the ops they emit: <c>relu</c> (Relu), <c>relu6</c> (Relu6),
/// <c>elu</c> (Elu), <c>sigmoid</c> (Sigmoid), <c>tanh</c> (Tanh), <c>softmax</c> (Softmax over the
/// last axis), <c>gelu</c> (exact GELU as <c>tf.nn.gelu(approximate=False)</c>: Mul, RealDiv, Erf,
/// AddV2, Mul) and <c>linear</c> or null (no op).
/// </summary>
public static class Activations
{
    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "linear", "relu", "relu6", "elu", "sigmoid", "tanh", "softmax", "gelu" };

    /// <summary>Returns the normalized name (null for linear) or throws listing the accepted names.</summary>
    public static string? Validate(string? name)
    {
        if (name is null || name == "linear")
        {
            return null;
        }
        if (!Names.Contains(name))
        {
            throw new ArgumentException($"unknown activation '{name}'; known: {string.Join(", ", Names)}");
        }
        return name;
    }

    /// <summary>
    /// The op name a fused contraction (<c>_FusedConv2D</c>, <c>_FusedMatMul</c>) accepts in
    /// <c>fused_ops</c> for this activation, or null when TensorFlow's remapper does not fuse it.
    /// </summary>
    public static string? FusedOpName(string? name) => name switch
    {
        "relu" => "Relu",
        "relu6" => "Relu6",
        "elu" => "Elu",
        _ => null,
    };

    /// <summary>Applies the activation to <paramref name="x"/> without releasing it; null returns null.</summary>
    public static Tensor? Apply(string? name, Tensor x) => Validate(name) switch
    {
        null => null,
        "relu" => tf.nn.relu(x),
        "relu6" => tf.nn.relu6(x),
        "elu" => tf.nn.elu(x),
        "sigmoid" => tf.nn.sigmoid(x),
        "tanh" => tf.nn.tanh(x),
        "softmax" => tf.nn.softmax(x),
        "gelu" => Gelu(x),
        _ => throw new InvalidOperationException("unreachable"),
    };

    /// <summary>Applies the activation and releases <paramref name="x"/>; linear returns x itself.</summary>
    internal static Tensor ApplyAndRelease(string? name, Tensor x)
    {
        var y = Apply(name, x);
        if (y is null)
        {
            return x;
        }
        x.Dispose();
        return y;
    }

    /// <summary>0.5 * x * (1 + erf(x / sqrt(2))), in the op order Python evaluates that expression.</summary>
    private static Tensor Gelu(Tensor x)
    {
        var half = Emit.WithScalar(x, 0.5, c => tf.multiply(c, x));
        var scaled = Emit.WithScalar(x, Math.Sqrt(2.0), c => tf.divide(x, c));
        var erf = scaled.Then(s => tf.math.erf(s));
        var onePlus = erf.Then(e => Emit.WithScalar(x, 1.0, c => tf.add(c, e)));
        var y = tf.multiply(half, onePlus);
        half.Dispose();
        onePlus.Dispose();
        return y;
    }
}
