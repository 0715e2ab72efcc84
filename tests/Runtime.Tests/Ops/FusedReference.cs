namespace OnSram.Runtime.Tests.Ops;

/// <summary>The unfused epilogue sequence, scalar: BiasAdd or FusedBatchNorm, Add, activation.</summary>
internal static class FusedReference
{
    public static float[] Apply(float[] product, int channels, string[] fusedOps, float[][] args, float epsilon = 1e-4f, float alpha = 0.2f)
    {
        var y = (float[])product.Clone();
        var arg = 0;
        foreach (var op in fusedOps)
        {
            switch (op)
            {
                case "BiasAdd":
                    {
                        var bias = args[arg++];
                        for (var i = 0; i < y.Length; i++)
                        {
                            y[i] += bias[i % channels];
                        }
                        break;
                    }
                case "FusedBatchNorm":
                    {
                        float[] scale = args[arg++], offset = args[arg++], mean = args[arg++], variance = args[arg++];
                        for (var i = 0; i < y.Length; i++)
                        {
                            var c = i % channels;
                            y[i] = (y[i] - mean[c]) / MathF.Sqrt(variance[c] + epsilon) * scale[c] + offset[c];
                        }
                        break;
                    }
                case "Add":
                    {
                        var addend = args[arg++];
                        for (var i = 0; i < y.Length; i++)
                        {
                            y[i] += addend[i];
                        }
                        break;
                    }
                case "Relu":
                    for (var i = 0; i < y.Length; i++) { y[i] = Math.Max(y[i], 0f); }
                    break;
                case "Relu6":
                    for (var i = 0; i < y.Length; i++) { y[i] = Math.Min(Math.Max(y[i], 0f), 6f); }
                    break;
                case "Elu":
                    for (var i = 0; i < y.Length; i++) { y[i] = y[i] > 0 ? y[i] : MathF.Exp(y[i]) - 1f; }
                    break;
                case "LeakyRelu":
                    for (var i = 0; i < y.Length; i++) { y[i] = y[i] > 0 ? y[i] : y[i] * alpha; }
                    break;
                default:
                    throw new ArgumentException(op);
            }
        }
        return y;
    }

    /// <summary>Per-element FLOPs the fused ops document: BiasAdd 1, FusedBatchNorm 3, Add 1, activation 1.</summary>
    public static int FlopsPerElement(string[] fusedOps) => fusedOps.Sum(op => op == "FusedBatchNorm" ? 3 : 1);
}
