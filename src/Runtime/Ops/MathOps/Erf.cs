using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Erf</c>: the Gauss error function, elementwise, evaluated in float64 for every dtype (see
/// <see cref="SpecialFunctions.Erf"/>; absolute error well below 1e-15 before rounding to the output type).
/// Dtypes: float32, float16, bfloat16 or float64.
/// FLOPs: 1 per element (the accelerator's special-function unit evaluates it as one operation).
/// Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Erf : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Erf";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<ErfFunction>(invocation, Elementwise.FloatTypes, 1);
}

/// <summary>The kernel of <see cref="Erf"/>.</summary>
internal readonly struct ErfFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = (float)SpecialFunctions.Erf(x[i]);
        }
    }

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = SpecialFunctions.Erf(x[i]);
        }
    }
}
