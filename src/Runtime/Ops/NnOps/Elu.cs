using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>Elu</c>: x if x &gt; 0 else e^x - 1, elementwise. Dtypes: float32, float16, bfloat16 or float64
/// (half types computed in float32). e^x - 1 is evaluated without cancellation near 0.
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Elu : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Elu";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<EluFunction>(invocation, Elementwise.FloatTypes, 1);
}

/// <summary>The kernel of <see cref="Elu"/>.</summary>
internal readonly struct EluFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            destination[i] = v > 0 ? v : (float)SpecialFunctions.ExpM1(v);
        }
    }

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            destination[i] = v > 0 ? v : SpecialFunctions.ExpM1(v);
        }
    }
}
