using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads;

/// <summary>An entry of the <see cref="Networks"/> registry: what a network is and how to build it.</summary>
public sealed class NetworkSpec
{
    private readonly Func<bool, DType, Layer> _model;
    private readonly Func<int, DType, Tensor> _input;

    internal NetworkSpec(string name, string description, string source, Shape inputShape, DType inputDType, bool fused,
        Func<bool, DType, Layer> model, Func<int, DType, Tensor>? input = null)
    {
        Name = name;
        Description = description;
        Source = source;
        InputShape = inputShape;
        InputDType = inputDType;
        Fused = fused;
        _model = model;
        _input = input ?? ((seed, dtype) => Binding.tf.random.normal(inputShape, 0f, 1f, dtype, seed));
    }

    /// <summary>Registry name (<c>resnet50</c>, <c>resnet50_fused</c>, ...).</summary>
    public string Name { get; }

    /// <summary>One line describing the network.</summary>
    public string Description { get; }

    /// <summary>The architecture this network reproduces.</summary>
    public string Source { get; }

    /// <summary>Input shape, batch 1.</summary>
    public Shape InputShape { get; }

    /// <summary>Input dtype at the default float32 (int32 token ids for the language model).</summary>
    public DType InputDType { get; }

    /// <summary>True for the variants that emit <c>_FusedConv2D</c>/<c>_FusedMatMul</c>.</summary>
    public bool Fused { get; }

    /// <summary>Builds a fresh instance whose weights derive from <paramref name="seed"/> (created on its first pass).</summary>
    /// <param name="seed">Seed of the weights and of the input.</param>
    /// <param name="dtype">Floating dtype of weights and activations (the OnSRAM accelerator computes in float16).</param>
    public Network Create(int seed = 0, DType dtype = DType.Float32)
    {
        if (!dtype.IsFloating())
        {
            throw new ArgumentException($"network '{Name}' computes in a floating dtype, got {dtype.Name()}", nameof(dtype));
        }
        return new(this, _model(Fused, dtype), seed, dtype);
    }

    /// <summary>Builds an instance, runs <paramref name="iterations"/> passes in the current context
    /// (see <see cref="Network.Run"/>), then releases its weights.</summary>
    public void Run(int iterations, int seed = 0, DType dtype = DType.Float32)
    {
        using var network = Create(seed, dtype);
        network.Run(iterations);
    }

    internal DType InputDTypeFor(DType dtype) => InputDType.IsFloating() ? dtype : InputDType;

    internal Tensor CreateInput(int seed, DType dtype) => _input(seed, InputDTypeFor(dtype));

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
