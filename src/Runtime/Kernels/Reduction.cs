using System.Numerics;
using System.Numerics.Tensors;
using OnSram.Accelerator;
using OnSram.Runtime.Ops;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Kernels;

/// <summary>The reductions of TensorFlow's <c>Sum</c>, <c>Mean</c> and <c>Max</c>.</summary>
internal enum ReduceKind
{
    /// <summary>Sum of the reduced elements (0 when there are none).</summary>
    Sum,
    /// <summary>Sum divided by the number of reduced elements (integer division for integers).</summary>
    Mean,
    /// <summary>Largest reduced element (NaN propagates; the type's lowest value, -inf for floats, when there are none).</summary>
    Max,
}

/// <summary>
/// Planning and kernels of the axis reductions. Inputs: the tensor and <c>reduction_indices</c>
/// (int32 or int64, scalar or 1-D; negative axes count from the end; duplicates are allowed; an empty
/// list reduces nothing and copies the input). Attribute <c>keep_dims</c> (default false) keeps
/// reduced dimensions with size 1. float32, float64, int32 and int64 accumulate in their own type
/// (integers wrap); float16 and bfloat16 accumulate in float32, as TensorFlow's CPU kernels do.
/// </summary>
internal static class Reduction
{
    /// <summary>Plans a reduction. FLOPs: 1 per input element.</summary>
    public static OpPlan Plan(OpInvocation invocation, ReduceKind kind)
    {
        invocation.ExpectInputs(2);
        invocation.ExpectDType(0, Elementwise.NumericTypes);
        var x = invocation.Inputs[0];
        var axes = invocation.Inputs[1];
        if (axes.DType is not (DType.Int32 or DType.Int64))
        {
            throw invocation.Error($"reduction_indices (input 1) must be int32 or int64, got {axes.DType.Name()}");
        }
        if (axes.Shape.ndim > 1)
        {
            throw invocation.Error($"reduction_indices (input 1) must be a scalar or a vector, got shape {axes.Shape.ToCompactString()}");
        }
        var keepDims = invocation.Bool("keep_dims", false);
        var flops = (double)x.Shape.size;
        var values = invocation.ConstantValues(1);
        if (values is null)
        {
            if (invocation.KnownOutputs is { Length: > 0 } known)
            {
                var rank = x.Shape.ndim;
                return new DelegatePlan([known[0]], flops, ComputeUnit.Vector, OpTraits.Elementwise,
                    (inputs, outputs) => Run(inputs[0], outputs[0], ReducedAxes(invocation, TensorData.IntegerValues(inputs[1])!, rank), kind));
            }
            values = invocation.RequireConstant(1, "reduction_indices");
        }
        var reduced = ReducedAxes(invocation, values, x.Shape.ndim);
        var dims = new List<long>(x.Shape.ndim);
        for (var i = 0; i < reduced.Length; i++)
        {
            if (!reduced[i])
            {
                dims.Add(x.Shape.dims[i]);
            }
            else if (keepDims)
            {
                dims.Add(1);
            }
        }
        var output = new TensorSpec(new Shape(dims.ToArray()), x.DType);
        return new DelegatePlan([output], flops, ComputeUnit.Vector, OpTraits.Elementwise,
            (inputs, outputs) => Run(inputs[0], outputs[0], reduced, kind));
    }

    private static bool[] ReducedAxes(OpInvocation invocation, long[] values, int rank)
    {
        var reduced = new bool[rank];
        foreach (var v in values)
        {
            var a = v < 0 ? v + rank : v;
            if (a < 0 || a >= rank)
            {
                throw invocation.Error($"invalid reduction dimension {v} for input with {rank} dimension(s)");
            }
            reduced[a] = true;
        }
        return reduced;
    }

    private static void Run(Tensor x, Tensor y, bool[] reduced, ReduceKind kind)
    {
        if (Array.IndexOf(reduced, true) < 0)
        {
            x.Buffer.AsSpan().CopyTo(y.Buffer);
            return;
        }
        switch (x.dtype)
        {
            case DType.Float32:
                Reduce<float>(x.Data<float>(), x.shape, reduced, y.Data<float>(), kind, float.NegativeInfinity);
                break;
            case DType.Float64:
                Reduce<double>(x.Data<double>(), x.shape, reduced, y.Data<double>(), kind, double.NegativeInfinity);
                break;
            case DType.Int32:
                Reduce<int>(x.Data<int>(), x.shape, reduced, y.Data<int>(), kind, int.MinValue);
                break;
            case DType.Int64:
                Reduce<long>(x.Data<long>(), x.shape, reduced, y.Data<long>(), kind, long.MinValue);
                break;
            case DType.Float16 or DType.BFloat16:
                {
                    var result = new float[y.size];
                    Reduce<float>(TensorData.ReadFloats(x), x.shape, reduced, result, kind, float.NegativeInfinity);
                    TensorData.WriteFloats(y, result);
                    break;
                }
            default:
                throw new InvalidOperationException($"no reduction kernel for {x.dtype.Name()}");
        }
    }

    /// <summary>
    /// Reduces <paramref name="x"/> (shape <paramref name="shape"/>) over the flagged axes into
    /// <paramref name="y"/>. Size-1 axes are dropped and neighbouring axes with the same flag merged,
    /// so the innermost run is contiguous: either summed to one output element or added, as a vector,
    /// onto a contiguous run of the output.
    /// </summary>
    internal static void Reduce<T>(ReadOnlySpan<T> x, Shape shape, bool[] reduced, Span<T> y, ReduceKind kind, T lowest)
        where T : unmanaged, INumber<T>
    {
        if (y.IsEmpty)
        {
            return;
        }
        y.Fill(kind == ReduceKind.Max ? lowest : T.Zero);
        if (x.IsEmpty)
        {
            if (kind == ReduceKind.Mean && typeof(T) != typeof(int) && typeof(T) != typeof(long))
            {
                y.Fill(T.Zero / T.Zero); // the mean of nothing is NaN, as 0/0 in TensorFlow
            }
            return;
        }
        var sizes = new List<long>();
        var flags = new List<bool>();
        for (var i = 0; i < shape.ndim; i++)
        {
            var n = shape.dims[i];
            if (n == 1)
            {
                continue;
            }
            if (flags.Count > 0 && flags[^1] == reduced[i])
            {
                sizes[^1] *= n;
            }
            else
            {
                sizes.Add(n);
                flags.Add(reduced[i]);
            }
        }
        var m = sizes.Count;
        if (m == 0)
        {
            y[0] = x[0];
            return;
        }
        var yStrides = new long[m];
        long acc = 1;
        for (var k = m - 1; k >= 0; k--)
        {
            yStrides[k] = flags[k] ? 0 : acc;
            if (!flags[k])
            {
                acc *= sizes[k];
            }
        }
        var inner = checked((int)sizes[m - 1]);
        var innerReduced = flags[m - 1];
        var outer = x.Length / inner;
        var index = new long[Math.Max(m - 1, 0)];
        long yo = 0;
        for (var o = 0; o < outer; o++)
        {
            var run = x.Slice(o * inner, inner);
            if (innerReduced)
            {
                y[(int)yo] = kind == ReduceKind.Max
                    ? T.Max(y[(int)yo], TensorPrimitives.Max(run))
                    : y[(int)yo] + TensorPrimitives.Sum(run);
            }
            else
            {
                var dst = y.Slice((int)yo, inner);
                if (kind == ReduceKind.Max)
                {
                    TensorPrimitives.Max(dst, run, dst);
                }
                else
                {
                    TensorPrimitives.Add(dst, run, dst);
                }
            }
            for (var k = m - 2; k >= 0; k--)
            {
                yo += yStrides[k];
                if (++index[k] < sizes[k])
                {
                    break;
                }
                yo -= yStrides[k] * sizes[k];
                index[k] = 0;
            }
        }
        if (kind == ReduceKind.Mean)
        {
            var count = T.CreateChecked(x.Length / y.Length);
            TensorPrimitives.Divide(y, count, y);
        }
    }
}
