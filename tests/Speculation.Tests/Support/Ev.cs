using OnSram.Accelerator;
using OnSram.Speculation.Events;

namespace OnSram.Speculation.Tests.Support;

/// <summary>Builds simulator events by hand: float32 tensors (2 bytes each on an FP16 device).</summary>
public static class Ev
{
    /// <summary>A float32 tensor of <paramref name="elements"/> elements (shape [elements]).</summary>
    public static TensorInfo T(long id, long elements) => new(id, [elements], elements, 4, true);

    /// <summary>An int32 tensor (not floating: device bytes = host bytes).</summary>
    public static TensorInfo Int(long id, long elements) => new(id, [elements], elements, 4, false);

    public static OpEvent Op(string type, ComputeUnit unit, double flops, TensorInfo[] inputs, TensorInfo[] outputs, double reuse = 1) =>
        new(type, "", unit, flops, inputs, outputs, new OpTraits(reuse));

    public static OpEvent Vector(string type, double flops, TensorInfo[] inputs, params TensorInfo[] outputs) =>
        Op(type, ComputeUnit.Vector, flops, inputs, outputs);

    public static OpEvent Matrix(string type, double flops, TensorInfo[] inputs, params TensorInfo[] outputs) =>
        Op(type, ComputeUnit.Matrix, flops, inputs, outputs);
}
