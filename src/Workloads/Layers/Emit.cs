using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Helpers that release intermediates at their last use, as TensorFlow eager does when a Python
/// variable is rebound: the simulator learns from a release that a buffer died.
/// </summary>
internal static class Emit
{
    /// <summary>Applies <paramref name="next"/> to <paramref name="x"/>, then releases <paramref name="x"/>.</summary>
    public static Tensor Then(this Tensor x, Func<Tensor, Tensor> next)
    {
        var y = next(x);
        x.Dispose();
        return y;
    }

    /// <summary>
    /// Runs a façade call that creates host constants (shape, axis, paddings arguments) and releases
    /// those constants right after it; the result is kept.
    /// </summary>
    public static Tensor Scoped(Func<Tensor> call)
    {
        using var scope = tf.scope();
        return scope.Keep(call());
    }

    /// <summary>Applies a binary op with a scalar constant of <paramref name="x"/>'s dtype, releasing the constant after.</summary>
    public static Tensor WithScalar(Tensor x, double value, Func<Tensor, Tensor> op)
    {
        var c = tf.constant(value, x.dtype);
        try
        {
            return op(c);
        }
        finally
        {
            c.Dispose();
        }
    }

    /// <summary>Reshape to explicit dimensions (a view; the shape constant is released).</summary>
    public static Tensor Reshape(Tensor x, params long[] dims) =>
        Scoped(() => tf.reshape(x, Array.ConvertAll(dims, d => checked((int)d))));

    /// <summary>Runs a raw op (<c>tf.execute</c>) and keeps its first output, releasing any other.</summary>
    public static Tensor Execute(string opType, Tensor[] inputs, OpAttrs attrs)
    {
        var outputs = tf.execute(opType, inputs, attrs);
        for (var i = 1; i < outputs.Length; i++)
        {
            outputs[i].Dispose();
        }
        return outputs[0];
    }

    /// <summary>The dimensions of <paramref name="x"/> as an array.</summary>
    public static long[] Dims(this Tensor x) => x.shape.ToArray();
}
