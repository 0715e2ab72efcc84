using System.Numerics.Tensors;
using OnSram.Runtime.Ops;

namespace OnSram.Runtime.Kernels;

/// <summary>Activation closing a fused epilogue.</summary>
internal enum FusedActivation
{
    /// <summary>No activation.</summary>
    None,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,

    /// <summary>x if x &gt; 0 else e^x - 1.</summary>
    Elu,

    /// <summary>x if x &gt; 0 else alpha * x.</summary>
    LeakyRelu,
}

/// <summary>
/// The elementwise tail grappler fuses into <c>_FusedConv2D</c> / <c>_FusedMatMul</c> (attribute
/// <c>fused_ops</c>), applied per output channel (the last dimension) after the product:
/// <c>BiasAdd</c> (1 arg: bias[C]) or <c>FusedBatchNorm</c> (4 args: scale, offset, mean, variance, each
/// [C]; y = (x - mean) * scale * rsqrt(variance + epsilon) + offset, as TensorFlow's fused kernel),
/// optionally <c>Add</c> after BiasAdd (1 more arg of the output's shape), optionally one activation
/// (<c>Relu</c>, <c>Relu6</c>, <c>Elu</c>, <c>LeakyRelu</c> with <c>leakyrelu_alpha</c>).
/// FLOPs per output element: BiasAdd 1, FusedBatchNorm 3 (subtract, multiply, add; the per-channel
/// fold of the statistics is not counted), Add 1, any activation 1.
/// </summary>
internal sealed class FusedEpilogue
{
    private const long ParallelElements = 1L << 18;

    private FusedEpilogue(bool batchNorm, bool addend, FusedActivation activation, float epsilon, float alpha, int channels)
    {
        BatchNorm = batchNorm;
        HasAddend = addend;
        Activation = activation;
        Epsilon = epsilon;
        Alpha = alpha;
        Channels = channels;
    }

    /// <summary>True for FusedBatchNorm, false for BiasAdd.</summary>
    public bool BatchNorm { get; }

    /// <summary>True when an <c>Add</c> of a full-size tensor follows the bias.</summary>
    public bool HasAddend { get; }

    /// <summary>The closing activation.</summary>
    public FusedActivation Activation { get; }

    /// <summary>FusedBatchNorm epsilon.</summary>
    public float Epsilon { get; }

    /// <summary>LeakyRelu slope.</summary>
    public float Alpha { get; }

    /// <summary>Output channels (the last dimension).</summary>
    public int Channels { get; }

    /// <summary>Number of extra inputs after the two operands.</summary>
    public int ArgCount => (BatchNorm ? 4 : 1) + (HasAddend ? 1 : 0);

    /// <summary>FLOPs per output element.</summary>
    public double FlopsPerElement => (BatchNorm ? 3 : 1) + (HasAddend ? 1 : 0) + (Activation == FusedActivation.None ? 0 : 1);

    /// <summary>
    /// Parses <c>fused_ops</c>, <c>num_args</c>, <c>epsilon</c>, <c>leakyrelu_alpha</c> and checks the
    /// args (inputs 2..) against the output: per-channel vectors of <paramref name="output"/>'s last
    /// dimension, an addend of the output's shape, all of input 0's dtype.
    /// </summary>
    public static FusedEpilogue Parse(OpInvocation invocation, Shape output, bool allowBatchNorm)
    {
        var ops = invocation.Strings("fused_ops");
        var supported = allowBatchNorm
            ? "[BiasAdd] or [FusedBatchNorm], then optionally Add (after BiasAdd), then optionally one of Relu, Relu6, Elu, LeakyRelu"
            : "[BiasAdd], then optionally Add, then optionally one of Relu, Relu6, Elu, LeakyRelu";
        var fail = () => invocation.Error($"unsupported fused_ops [{string.Join(",", ops)}]; supported: {supported}", "fused_ops");
        if (ops.Length == 0)
        {
            throw fail();
        }
        var i = 0;
        bool batchNorm;
        switch (ops[i++])
        {
            case "BiasAdd": batchNorm = false; break;
            case "FusedBatchNorm" when allowBatchNorm: batchNorm = true; break;
            default: throw fail();
        }
        var addend = false;
        if (i < ops.Length && ops[i] == "Add" && !batchNorm)
        {
            addend = true;
            i++;
        }
        var activation = FusedActivation.None;
        if (i < ops.Length)
        {
            activation = ops[i++] switch
            {
                "Relu" => FusedActivation.Relu,
                "Relu6" => FusedActivation.Relu6,
                "Elu" => FusedActivation.Elu,
                "LeakyRelu" => FusedActivation.LeakyRelu,
                _ => throw fail(),
            };
        }
        if (i != ops.Length)
        {
            throw fail();
        }

        var channels = (int)output[-1];
        var epilogue = new FusedEpilogue(batchNorm, addend, activation,
            (float)invocation.Float("epsilon", 0.0001), (float)invocation.Float("leakyrelu_alpha", 0.2), channels);
        var given = invocation.Inputs.Length - 2;
        var numArgs = invocation.Int("num_args", given);
        if (numArgs != epilogue.ArgCount)
        {
            throw invocation.Error($"fused_ops [{string.Join(",", ops)}] take {epilogue.ArgCount} args, num_args is {numArgs}", "num_args");
        }
        if (given != epilogue.ArgCount)
        {
            throw invocation.Error($"fused_ops [{string.Join(",", ops)}] take {epilogue.ArgCount} args after the two operands, got {given} inputs after them");
        }
        var dtype = invocation.Inputs[0].DType;
        string[] names = batchNorm ? ["scale", "offset", "mean", "variance"] : ["bias"];
        for (var a = 0; a < names.Length; a++)
        {
            var spec = invocation.Inputs[2 + a];
            if (spec.Shape.ndim != 1 || spec.Shape[0] != channels)
            {
                throw invocation.Error($"{names[a]} (input {2 + a}) must be a vector of {channels} values (the output channels of {output.ToCompactString()}), got shape {spec.Shape.ToCompactString()}");
            }
        }
        if (addend && invocation.Inputs[3].Shape != output)
        {
            throw invocation.Error($"the Add operand (input 3) must have the output's shape {output.ToCompactString()}, got {invocation.Inputs[3].Shape.ToCompactString()}");
        }
        for (var a = 2; a < invocation.Inputs.Length; a++)
        {
            if (invocation.Inputs[a].DType != dtype)
            {
                throw invocation.Error($"input {a} has dtype {invocation.Inputs[a].DType.Name()}, expected {dtype.Name()} like input 0");
            }
        }
        return epilogue;
    }

    /// <summary>Applies the epilogue in place to <paramref name="rows"/>×<see cref="Channels"/> floats, reading the args from <paramref name="inputs"/>[2..].</summary>
    public unsafe void Apply(float* data, long rows, Tensor[] inputs)
    {
        var c = Channels;
        float[]? multiplier = null;
        float[]? mean = null;
        float[] shift; // bias, or the batch-norm offset
        if (BatchNorm)
        {
            var scale = TensorData.ReadFloats(inputs[2]);
            shift = TensorData.ReadFloats(inputs[3]);
            mean = TensorData.ReadFloats(inputs[4]);
            var variance = TensorData.ReadFloats(inputs[5]);
            multiplier = new float[c];
            for (var j = 0; j < c; j++)
            {
                multiplier[j] = scale[j] / MathF.Sqrt(variance[j] + Epsilon);
            }
        }
        else
        {
            shift = TensorData.ReadFloats(inputs[2]);
        }
        using var addend = HasAddend ? PinnedFloats.Read(inputs[3]) : null;
        var job = new Job(this, (nint)data, c, multiplier, mean, shift, addend is null ? 0 : (nint)addend.Pointer);
        var total = rows * c;
        if (total >= ParallelElements && Environment.ProcessorCount > 1 && rows > 1)
        {
            var chunks = (int)Math.Min(rows, Environment.ProcessorCount * 4L);
            var per = (rows + chunks - 1) / chunks;
            Parallel.For(0, chunks, k => job.Rows(k * per, Math.Min(rows, (k + 1) * per)));
        }
        else
        {
            job.Rows(0, rows);
        }
    }

    private sealed unsafe class Job(FusedEpilogue e, nint data, int c, float[]? multiplier, float[]? mean, float[] shift, nint addend)
    {
        public void Rows(long from, long to)
        {
            for (var r = from; r < to; r++)
            {
                var row = new Span<float>((float*)data + r * c, c);
                if (multiplier is not null)
                {
                    TensorPrimitives.Subtract(row, mean, row);
                    TensorPrimitives.MultiplyAdd(row, multiplier, shift, row);
                }
                else
                {
                    TensorPrimitives.Add(row, shift, row);
                }
                if (addend != 0)
                {
                    TensorPrimitives.Add(row, new ReadOnlySpan<float>((float*)addend + r * c, c), row);
                }
                Activate(row, e.Activation, e.Alpha);
            }
        }
    }

    /// <summary>Applies <paramref name="activation"/> in place.</summary>
    public static void Activate(Span<float> x, FusedActivation activation, float alpha)
    {
        switch (activation)
        {
            case FusedActivation.Relu:
                TensorPrimitives.Max(x, 0f, x);
                break;
            case FusedActivation.Relu6:
                TensorPrimitives.Max(x, 0f, x);
                TensorPrimitives.Min(x, 6f, x);
                break;
            case FusedActivation.Elu:
                for (var i = 0; i < x.Length; i++)
                {
                    if (!(x[i] > 0f))
                    {
                        x[i] = MathF.Exp(x[i]) - 1f;
                    }
                }
                break;
            case FusedActivation.LeakyRelu:
                for (var i = 0; i < x.Length; i++)
                {
                    if (x[i] < 0f)
                    {
                        x[i] *= alpha;
                    }
                }
                break;
        }
    }
}
