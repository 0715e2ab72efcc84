using OnSram.Accelerator;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// Validation, shape inference, cost and kernel shared by <see cref="MatMul"/> and <see cref="FusedMatMul"/>:
/// rank-2 operands a and b, attributes <c>transpose_a</c>, <c>transpose_b</c> (default false); output
/// [M, N]. Dtypes float32, float16, bfloat16 (half types in float32, rounded once). FLOPs 2·M·N·K plus the
/// epilogue's. InputReuse N: one element of a is read once per column of the product (the DESIGN note's
/// "Cin" of a dense layer is the same count seen from the weight side: a dense layer's N is its
/// output width).
/// </summary>
internal sealed unsafe class MatMulPlan : OpPlan
{
    private readonly int _m;
    private readonly int _n;
    private readonly int _k;
    private readonly bool _transA;
    private readonly bool _transB;
    private readonly FusedEpilogue? _epilogue;

    private MatMulPlan(TensorSpec output, double flops, int m, int n, int k, bool transA, bool transB, FusedEpilogue? epilogue)
        : base(new[] { output }, flops, ComputeUnit.Matrix, new(n))
    {
        _m = m;
        _n = n;
        _k = k;
        _transA = transA;
        _transB = transB;
        _epilogue = epilogue;
    }

    /// <summary>Plans a product; <paramref name="fused"/> parses the <c>_FusedMatMul</c> epilogue too.</summary>
    public static MatMulPlan Create(OpInvocation invocation, bool fused)
    {
        if (fused)
        {
            if (invocation.Inputs.Length < 3)
            {
                throw invocation.Error($"expects a, b and the fused args, got {invocation.Inputs.Length} inputs");
            }
        }
        else
        {
            invocation.ExpectInputs(2);
        }
        invocation.ExpectDType(0, DType.Float32, DType.Float16, DType.BFloat16);
        var dtype = invocation.Inputs[0].DType;
        if (invocation.Inputs[1].DType != dtype)
        {
            throw invocation.Error($"b (input 1) has dtype {invocation.Inputs[1].DType.Name()}, expected {dtype.Name()} like a");
        }
        invocation.ExpectRank(0, 2, "a");
        invocation.ExpectRank(1, 2, "b");
        var transA = invocation.Bool("transpose_a", false);
        var transB = invocation.Bool("transpose_b", false);
        var a = invocation.Inputs[0].Shape;
        var b = invocation.Inputs[1].Shape;
        var m = transA ? a[1] : a[0];
        var ka = transA ? a[0] : a[1];
        var kb = transB ? b[1] : b[0];
        var n = transB ? b[0] : b[1];
        if (ka != kb)
        {
            throw invocation.Error($"Matrix size-incompatible: In[0]: {a.ToCompactString()}, In[1]: {b.ToCompactString()} (transpose_a={Lower(transA)}, transpose_b={Lower(transB)}): inner dimensions {ka} and {kb} differ");
        }
        if (a.size > int.MaxValue || b.size > int.MaxValue || m * n > int.MaxValue)
        {
            throw invocation.Error("operands or product have more than 2^31-1 elements");
        }
        var outShape = new Shape(m, n);
        var flops = 2.0 * m * n * ka;
        FusedEpilogue? epilogue = null;
        if (fused)
        {
            epilogue = FusedEpilogue.Parse(invocation, outShape, allowBatchNorm: false);
            flops += epilogue.FlopsPerElement * outShape.size;
        }
        return new MatMulPlan(new TensorSpec(outShape, dtype), flops, (int)m, (int)n, (int)ka, transA, transB, epilogue);
    }

    /// <inheritdoc />
    public override void Execute(Tensor[] inputs, Tensor[] outputs)
    {
        using var a = PinnedFloats.Read(inputs[0]);
        using var b = PinnedFloats.Read(inputs[1]);
        using var c = PinnedFloats.Write(outputs[0]);
        var lda = _transA ? _m : _k;
        var ldb = _transB ? _k : _n;
        Gemm.Multiply(_m, _n, _k, a.Pointer, lda, _transA, b.Pointer, ldb, _transB, c.Pointer, _n);
        _epilogue?.Apply(c.Pointer, _m, inputs);
        c.Commit();
    }

    private static string Lower(bool v) => v ? "true" : "false";
}
