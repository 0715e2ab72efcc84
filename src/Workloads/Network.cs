using OnSram.Runtime;
using OnSram.Speculation.Events;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads;

/// <summary>
/// One instance of an evaluation network: its layer tree with seeded weights (created on the first
/// forward pass, then reused by every pass: external tensors for the simulator). Dispose releases
/// the weights.
/// </summary>
public sealed class Network : IDisposable
{
    internal Network(NetworkSpec spec, Layer model, int seed, DType dtype)
    {
        Spec = spec;
        Model = model;
        Seed = seed;
        DType = dtype;
        InputDType = spec.InputDTypeFor(dtype);
        model.AssignSeeds(seed);
    }

    /// <summary>The registry entry this instance was built from.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The layer tree.</summary>
    public Layer Model { get; }

    /// <summary>The seed of the weights and of <see cref="CreateInput"/>.</summary>
    public int Seed { get; }

    /// <summary>Floating dtype of the weights and activations.</summary>
    public DType DType { get; }

    /// <summary>Dtype of the input (<see cref="DType"/>, or int32 token ids for the language model).</summary>
    public DType InputDType { get; }

    /// <summary>True once every layer has its weights (after the first forward pass).</summary>
    public bool Built => Model.SelfAndDescendants().All(l => l.Built);

    /// <summary>Number of parameters the model's weight tensors hold, trainable or not (Keras's
    /// "Total params"). Requires a forward pass first (weights are created on the first call).</summary>
    public long ParameterCount => EnsureBuilt().ParameterCount;

    /// <summary>Number of trainable parameters (batch-norm moving statistics excluded).</summary>
    public long TrainableParameterCount => EnsureBuilt().TrainableParameterCount;

    /// <summary>A seeded input of <see cref="NetworkSpec.InputShape"/> in the current context.</summary>
    public Tensor CreateInput() => Spec.CreateInput(Layer.MixSeed(Seed, -1), DType);

    /// <summary>One forward pass on <paramref name="input"/> (not released); returns the output.</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.shape != Spec.InputShape || input.dtype != InputDType)
        {
            throw new ArgumentException($"network '{Spec.Name}' takes a {InputDType.Name()}{Spec.InputShape.ToCompactString()} input, got {input.dtype.Name()}{input.shape.ToCompactString()}");
        }
        return Model.Call(input);
    }

    /// <summary>
    /// Runs <paramref name="iterations"/> forward passes in the current context on one input created
    /// once; after each pass the output is released and <c>Mark("iteration")</c> is placed. The input
    /// is released after the last mark; the weights stay until <see cref="Dispose"/>.
    /// </summary>
    public void Run(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var context = EagerContext.Current;
        var input = CreateInput();
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                var output = Forward(input);
                output.Dispose();
                context.Mark(Marks.Iteration);
            }
        }
        finally
        {
            input.Dispose();
        }
    }

    /// <summary>Releases the weights.</summary>
    public void Dispose() => Model.ReleaseWeights();

    private Layer EnsureBuilt() => Built ? Model
        : throw new InvalidOperationException($"network '{Spec.Name}' has no weights yet: they are created by the first forward pass");
}
