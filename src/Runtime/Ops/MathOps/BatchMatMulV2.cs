using OnSram.Accelerator;
using OnSram.Runtime.Kernels;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>BatchMatMulV2</c>: batched product of x [..., M, K] and y [..., K, N] (rank ≥ 2 each); attributes
/// <c>adj_x</c>, <c>adj_y</c> transpose the last two dimensions of an operand (adjoint of a real matrix).
/// Batch dimensions broadcast as TensorFlow's (numpy rules, right-aligned). Dtypes float32, float16,
/// bfloat16. Unit: Matrix. FLOPs 2·M·N·K per batch element. InputReuse N, as for <see cref="MatMul"/>.
/// </summary>
public sealed class BatchMatMulV2 : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "BatchMatMulV2";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(2);
        invocation.ExpectDType(0, DType.Float32, DType.Float16, DType.BFloat16);
        var dtype = invocation.Inputs[0].DType;
        if (invocation.Inputs[1].DType != dtype)
        {
            throw invocation.Error($"y (input 1) has dtype {invocation.Inputs[1].DType.Name()}, expected {dtype.Name()} like x");
        }
        var x = invocation.Inputs[0].Shape;
        var y = invocation.Inputs[1].Shape;
        if (x.ndim < 2 || y.ndim < 2)
        {
            throw invocation.Error($"x and y must have rank >= 2, got {x.ToCompactString()} and {y.ToCompactString()}");
        }
        var adjX = invocation.Bool("adj_x", false);
        var adjY = invocation.Bool("adj_y", false);
        var m = adjX ? x[-1] : x[-2];
        var kx = adjX ? x[-2] : x[-1];
        var ky = adjY ? y[-1] : y[-2];
        var n = adjY ? y[-2] : y[-1];
        if (kx != ky)
        {
            throw invocation.Error($"Matrix size-incompatible: In[0]: {x.ToCompactString()}, In[1]: {y.ToCompactString()} (adj_x={(adjX ? "true" : "false")}, adj_y={(adjY ? "true" : "false")}): inner dimensions {kx} and {ky} differ");
        }

        var rank = Math.Max(x.ndim, y.ndim) - 2;
        var batch = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            var xd = BatchDim(x, d, rank);
            var yd = BatchDim(y, d, rank);
            if (xd != yd && xd != 1 && yd != 1)
            {
                throw invocation.Error($"In[0] and In[1] must have compatible batch dimensions: {x.ToCompactString()} vs. {y.ToCompactString()}");
            }
            batch[d] = xd == 1 ? yd : xd;
        }
        var outDims = batch.Append(m).Append(n).ToArray();
        var outShape = new Shape(outDims);
        if (x.size > int.MaxValue || y.size > int.MaxValue || outShape.size > int.MaxValue)
        {
            throw invocation.Error("operands or product have more than 2^31-1 elements");
        }
        var batches = batch.Aggregate(1L, (p, v) => p * v);
        var flops = 2.0 * batches * m * n * kx;
        return new BatchPlan(new TensorSpec(outShape, dtype), flops, x, y, batch, (int)m, (int)n, (int)kx, adjX, adjY);
    }

    private static long BatchDim(Shape s, int d, int rank)
    {
        var offset = rank - (s.ndim - 2);
        return d < offset ? 1 : s[d - offset];
    }

    private sealed unsafe class BatchPlan : OpPlan
    {
        private readonly long[] _xOffsets;
        private readonly long[] _yOffsets;
        private readonly int _m, _n, _k;
        private readonly bool _adjX, _adjY;

        public BatchPlan(TensorSpec output, double flops, Shape x, Shape y, long[] batch, int m, int n, int k, bool adjX, bool adjY)
            : base(new[] { output }, flops, ComputeUnit.Matrix, new OpTraits(n))
        {
            _m = m;
            _n = n;
            _k = k;
            _adjX = adjX;
            _adjY = adjY;
            var count = batch.Aggregate(1L, (p, v) => p * v);
            _xOffsets = Offsets(x, batch, count);
            _yOffsets = Offsets(y, batch, count);
        }

        // Element offset of each output batch element's matrix in an operand (stride 0 on broadcast dims).
        private static long[] Offsets(Shape s, long[] batch, long count)
        {
            var rank = batch.Length;
            var matrix = s[-1] * s[-2];
            var strides = new long[rank];
            var acc = matrix;
            for (var d = rank - 1; d >= 0; d--)
            {
                var dim = BatchDim(s, d, rank);
                strides[d] = dim == 1 ? 0 : acc;
                acc *= dim;
            }
            var offsets = new long[count];
            var index = new long[rank];
            for (var b = 0L; b < count; b++)
            {
                var o = 0L;
                for (var d = 0; d < rank; d++)
                {
                    o += index[d] * strides[d];
                }
                offsets[b] = o;
                for (var d = rank - 1; d >= 0; d--)
                {
                    if (++index[d] < batch[d])
                    {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return offsets;
        }

        public override void Execute(Tensor[] inputs, Tensor[] outputs)
        {
            using var x = PinnedFloats.Read(inputs[0]);
            using var y = PinnedFloats.Read(inputs[1]);
            using var z = PinnedFloats.Write(outputs[0]);
            var count = _xOffsets.Length;
            var perBatch = (long)_m * _n * _k;
            var job = new Job(this, (nint)x.Pointer, (nint)y.Pointer, (nint)z.Pointer);
            if (count > 1 && perBatch < Gemm.ParallelThreshold && perBatch * count >= Gemm.ParallelThreshold && Environment.ProcessorCount > 1)
            {
                // Many small products: parallel over batch elements, each product single-threaded.
                Parallel.For(0, count, b => job.Run(b, allowParallel: false));
            }
            else
            {
                for (var b = 0; b < count; b++)
                {
                    job.Run(b, allowParallel: true);
                }
            }
            z.Commit();
        }

        private sealed class Job(BatchPlan p, nint x, nint y, nint z)
        {
            public void Run(int b, bool allowParallel)
            {
                var lda = p._adjX ? p._m : p._k;
                var ldb = p._adjY ? p._k : p._n;
                Gemm.Multiply(p._m, p._n, p._k,
                    (float*)x + p._xOffsets[b], lda, p._adjX,
                    (float*)y + p._yOffsets[b], ldb, p._adjY,
                    (float*)z + (long)b * p._m * p._n, p._n, accumulate: false, allowParallel);
            }
        }
    }
}
