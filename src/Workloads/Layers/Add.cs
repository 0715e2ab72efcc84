using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>Add</c>: <c>AddV2</c> of the inputs, left to right (n - 1 ops).</summary>
public sealed class Add : MergeLayer
{
    /// <summary>Creates the layer.</summary>
    public Add(string? name = null) : base(name)
    {
    }

    /// <inheritdoc />
    protected override Tensor Merge(IReadOnlyList<Tensor> inputs)
    {
        var sum = tf.add(inputs[0], inputs[1]);
        for (var i = 2; i < inputs.Count; i++)
        {
            var next = inputs[i];
            sum = sum.Then(s => tf.add(s, next));
        }
        return sum;
    }
}
