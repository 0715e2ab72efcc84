using OnSram.Accelerator;

namespace OnSram.Speculation.Events;

/// <summary>One executed op, as the simulator sees it: no kernels, no data, just the facts.</summary>
/// <param name="OpType">TensorFlow op type name (<c>Conv2D</c>, <c>AddV2</c>, ...).</param>
/// <param name="AttrKey">Canonical, deterministic text of the op's attributes (sorted by name).</param>
/// <param name="Unit">Compute array the op runs on.</param>
/// <param name="Flops">Floating-point operations the op performs (a multiply-add counts 2).</param>
/// <param name="Inputs">Input tensors, in op order. Callers never mutate the array.</param>
/// <param name="Outputs">Output tensors, in op order. Callers never mutate the array.</param>
/// <param name="Traits">Reuse and window facts for graph-level planners.</param>
public readonly record struct OpEvent(
    string OpType,
    string AttrKey,
    ComputeUnit Unit,
    double Flops,
    TensorInfo[] Inputs,
    TensorInfo[] Outputs,
    OpTraits Traits);
