using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Add</c>: TensorFlow's legacy addition op (TensorFlow.js traces and older graphs emit it), the same
/// computation as <see cref="AddV2"/>: x + y elementwise with broadcasting, both inputs of one dtype among
/// float32, float16, bfloat16, float64, int32 and int64 (TensorFlow's string concatenation is not supported).
/// FLOPs: 1 per output element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Add : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Add";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanBinary<AddV2Function>(invocation, Elementwise.NumericTypes, 1);
}
