using OnSram.Runtime;
using OnSram.Runtime.Ops;
using static OnSram.Workloads.Tests.Support.FakeOps;

namespace OnSram.Workloads.Tests.Support;

internal static class Conv
{
    public static TensorSpec[] Shape(OpInvocation inv)
    {
        var x = Dims(inv.Inputs[0]);
        var f = Dims(inv.Inputs[1]);
        if (x.Length != 4 || f.Length != 4)
        {
            throw inv.Error("input and filter must be rank 4");
        }
        if (x[3] % f[2] != 0 || f[3] % (x[3] / f[2]) != 0)
        {
            throw inv.Error($"input depth {x[3]} is not a multiple of filter depth {f[2]}");
        }
        var (ho, wo) = Spatial(inv, x, f[0], f[1]);
        return new[] { new TensorSpec(new Shape(x[0], ho, wo, f[3]), inv.Inputs[0].DType) };
    }

    public static TensorSpec[] DepthwiseShape(OpInvocation inv)
    {
        var x = Dims(inv.Inputs[0]);
        var f = Dims(inv.Inputs[1]);
        if (f[2] != x[3])
        {
            throw inv.Error($"filter in-depth {f[2]} differs from input depth {x[3]}");
        }
        var (ho, wo) = Spatial(inv, x, f[0], f[1]);
        return new[] { new TensorSpec(new Shape(x[0], ho, wo, x[3] * f[3]), inv.Inputs[0].DType) };
    }

    private static (long, long) Spatial(OpInvocation inv, long[] x, long kh, long kw)
    {
        var s = inv.Ints("strides", new long[] { 1, 1, 1, 1 });
        var d = inv.Ints("dilations", new long[] { 1, 1, 1, 1 });
        var p = inv.String("padding", null, "SAME", "VALID");
        return (Window(inv, x[1], kh, s[1], d[1], p).Out, Window(inv, x[2], kw, s[2], d[2], p).Out);
    }

    public static void Run(OpInvocation inv, Tensor[] inputs, Tensor[] outputs) => Compute(inv, inputs, outputs, depthwise: false);

    public static void RunDepthwise(OpInvocation inv, Tensor[] inputs, Tensor[] outputs) => Compute(inv, inputs, outputs, depthwise: true);

    private static void Compute(OpInvocation inv, Tensor[] inputs, Tensor[] outputs, bool depthwise)
    {
        var x = Read(inputs[0]);
        var w = Read(inputs[1]);
        var xd = Dims(inputs[0]);
        var fd = Dims(inputs[1]);
        var od = Dims(outputs[0]);
        var s = inv.Ints("strides", new long[] { 1, 1, 1, 1 });
        var dl = inv.Ints("dilations", new long[] { 1, 1, 1, 1 });
        var p = inv.String("padding");
        var padT = Window(inv, xd[1], fd[0], s[1], dl[1], p).PadBefore;
        var padL = Window(inv, xd[2], fd[1], s[2], dl[2], p).PadBefore;
        var y = new double[outputs[0].size];
        long cin = xd[3], fin = fd[2], cout = od[3];
        var groups = depthwise ? 1 : cin / fin;
        var perGroup = depthwise ? 1 : cout / groups;
        for (long n = 0; n < od[0]; n++)
        for (long oh = 0; oh < od[1]; oh++)
        for (long ow = 0; ow < od[2]; ow++)
        for (long oc = 0; oc < cout; oc++)
        {
            double acc = 0;
            for (long kh = 0; kh < fd[0]; kh++)
            for (long kw = 0; kw < fd[1]; kw++)
            {
                var ih = oh * s[1] + kh * dl[1] - padT;
                var iw = ow * s[2] + kw * dl[2] - padL;
                if (ih < 0 || iw < 0 || ih >= xd[1] || iw >= xd[2])
                {
                    continue;
                }
                var xb = ((n * xd[1] + ih) * xd[2] + iw) * cin;
                if (depthwise)
                {
                    var c = oc / fd[3];
                    var m = oc % fd[3];
                    acc += x[xb + c] * w[((kh * fd[1] + kw) * fd[2] + c) * fd[3] + m];
                }
                else
                {
                    var g = oc / perGroup;
                    for (long ci = 0; ci < fin; ci++)
                    {
                        acc += x[xb + g * fin + ci] * w[((kh * fd[1] + kw) * fin + ci) * cout + oc];
                    }
                }
            }
            y[((n * od[1] + oh) * od[2] + ow) * cout + oc] = acc;
        }
        Write(outputs[0], Fused.Apply(inv, y, cout, inputs));
    }
}

/// <summary>The epilogue of _FusedConv2D / _FusedMatMul: BiasAdd or FusedBatchNorm, then an activation.</summary>
internal static class Fused
{
    public static double[] Apply(OpInvocation inv, double[] y, long channels, Tensor[] inputs)
    {
        if (!inv.Attrs.Contains("fused_ops"))
        {
            return y;
        }
        var ops = inv.Strings("fused_ops");
        var args = inputs.Skip(2).Select(Read).ToArray();
        var first = ops[0];
        for (long i = 0; i < y.Length; i++)
        {
            var c = i % channels;
            y[i] = first switch
            {
                "BiasAdd" => y[i] + args[0][c],
                "FusedBatchNorm" => (y[i] - args[2][c]) / Math.Sqrt(args[3][c] + inv.Float("epsilon")) * args[0][c] + args[1][c],
                _ => throw inv.Error($"unsupported fused op {first}", "fused_ops"),
            };
            foreach (var act in ops.Skip(1))
            {
                y[i] = act switch
                {
                    "Relu" => Math.Max(0, y[i]),
                    "Relu6" => Math.Min(6, Math.Max(0, y[i])),
                    "Elu" => y[i] > 0 ? y[i] : Math.Exp(y[i]) - 1,
                    _ => throw inv.Error($"unsupported fused activation {act}", "fused_ops"),
                };
            }
        }
        return y;
    }
}

internal static class Matrix
{
    public static TensorSpec[] MatMulShape(OpInvocation inv)
    {
        var a = Dims(inv.Inputs[0]);
        var b = Dims(inv.Inputs[1]);
        var ta = inv.Bool("transpose_a", false);
        var tb = inv.Bool("transpose_b", false);
        long m = ta ? a[1] : a[0], k = ta ? a[0] : a[1], k2 = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
        if (k != k2)
        {
            throw inv.Error($"inner dimensions differ: {k} vs {k2}");
        }
        return new[] { new TensorSpec(new Shape(m, n), inv.Inputs[0].DType) };
    }

    public static void RunMatMul(OpInvocation inv, Tensor[] inputs, Tensor[] outputs)
    {
        var a = Read(inputs[0]);
        var b = Read(inputs[1]);
        var ad = Dims(inputs[0]);
        var bd = Dims(inputs[1]);
        var ta = inv.Bool("transpose_a", false);
        var tb = inv.Bool("transpose_b", false);
        long m = ta ? ad[1] : ad[0], k = ta ? ad[0] : ad[1], n = tb ? bd[0] : bd[1];
        var y = new double[m * n];
        for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++)
        {
            double acc = 0;
            for (long p = 0; p < k; p++)
            {
                acc += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
            }
            y[i * n + j] = acc;
        }
        Write(outputs[0], Fused.Apply(inv, y, n, inputs));
    }

    public static TensorSpec[] BatchShape(OpInvocation inv)
    {
        var a = Dims(inv.Inputs[0]);
        var b = Dims(inv.Inputs[1]);
        if (a.Length != b.Length || !a[..^2].SequenceEqual(b[..^2]))
        {
            throw inv.Error("test double supports equal batch dimensions only");
        }
        var ax = inv.Bool("adj_x", false);
        var ay = inv.Bool("adj_y", false);
        long m = ax ? a[^1] : a[^2], k = ax ? a[^2] : a[^1], k2 = ay ? b[^1] : b[^2], n = ay ? b[^2] : b[^1];
        if (k != k2)
        {
            throw inv.Error($"inner dimensions differ: {k} vs {k2}");
        }
        return new[] { new TensorSpec(new Shape([.. a[..^2], m, n]), inv.Inputs[0].DType) };
    }

    public static void RunBatch(OpInvocation inv, Tensor[] inputs, Tensor[] outputs)
    {
        var a = Read(inputs[0]);
        var b = Read(inputs[1]);
        var ad = Dims(inputs[0]);
        var bd = Dims(inputs[1]);
        var ax = inv.Bool("adj_x", false);
        var ay = inv.Bool("adj_y", false);
        long m = ax ? ad[^1] : ad[^2], k = ax ? ad[^2] : ad[^1], n = ay ? bd[^2] : bd[^1];
        var batches = ad[..^2].Aggregate(1L, (x, y) => x * y);
        var y = new double[batches * m * n];
        for (long bt = 0; bt < batches; bt++)
        for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++)
        {
            double acc = 0;
            for (long p = 0; p < k; p++)
            {
                acc += a[bt * m * k + (ax ? p * m + i : i * k + p)] * b[bt * k * n + (ay ? j * k + p : p * n + j)];
            }
            y[(bt * m + i) * n + j] = acc;
        }
        Write(outputs[0], y);
    }
}

internal static class Elementwise
{
    public static TensorSpec[] BroadcastShape(OpInvocation inv)
    {
        var a = Dims(inv.Inputs[0]);
        var b = Dims(inv.Inputs[1]);
        var r = Math.Max(a.Length, b.Length);
        var o = new long[r];
        for (var i = 0; i < r; i++)
        {
            var da = i - (r - a.Length) >= 0 ? a[i - (r - a.Length)] : 1;
            var db = i - (r - b.Length) >= 0 ? b[i - (r - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw inv.Error($"incompatible shapes for broadcasting: [{string.Join(",", a)}] and [{string.Join(",", b)}]");
            }
            o[i] = Math.Max(da, db);
        }
        return new[] { new TensorSpec(new Shape(o), inv.Inputs[0].DType) };
    }

    public static void Broadcast(Tensor ta, Tensor tb, Tensor to, Func<double, double, double> f)
    {
        var a = Read(ta);
        var b = Read(tb);
        var od = Dims(to);
        var y = new double[to.size];
        var ia = Indexer(Dims(ta), od);
        var ib = Indexer(Dims(tb), od);
        for (long i = 0; i < y.Length; i++)
        {
            y[i] = f(a[ia(i)], b[ib(i)]);
        }
        Write(to, y);
    }

    /// <summary>Maps an output flat index to the flat index of a broadcast operand.</summary>
    private static Func<long, long> Indexer(long[] dims, long[] outDims)
    {
        var r = outDims.Length;
        var padded = Enumerable.Repeat(1L, r - dims.Length).Concat(dims).ToArray();
        var strides = new Shape(padded).Strides();
        return flat =>
        {
            long idx = 0;
            for (var d = r - 1; d >= 0; d--)
            {
                var coord = flat % outDims[d];
                flat /= outDims[d];
                if (padded[d] != 1)
                {
                    idx += coord * strides[d];
                }
            }
            return idx;
        };
    }

    public static void BiasAdd(Tensor x, Tensor bias, Tensor o)
    {
        var v = Read(x);
        var b = Read(bias);
        for (long i = 0; i < v.Length; i++)
        {
            v[i] += b[i % b.Length];
        }
        Write(o, v);
    }

    public static double[] BatchNorm(OpInvocation inv, Tensor x, Tensor scale, Tensor offset, Tensor mean, Tensor variance, double eps)
    {
        var v = Read(x);
        var g = Read(scale);
        var bt = Read(offset);
        var m = Read(mean);
        var s2 = Read(variance);
        var c = g.Length;
        for (long i = 0; i < v.Length; i++)
        {
            var k = i % c;
            v[i] = (v[i] - m[k]) / Math.Sqrt(s2[k] + eps) * g[k] + bt[k];
        }
        return v;
    }

    public static double[] Softmax(Tensor x)
    {
        var v = Read(x);
        var c = x.shape[-1];
        for (long r = 0; r < v.Length; r += c)
        {
            var max = double.NegativeInfinity;
            for (long j = 0; j < c; j++)
            {
                max = Math.Max(max, v[r + j]);
            }
            double sum = 0;
            for (long j = 0; j < c; j++)
            {
                v[r + j] = Math.Exp(v[r + j] - max);
                sum += v[r + j];
            }
            for (long j = 0; j < c; j++)
            {
                v[r + j] /= sum;
            }
        }
        return v;
    }

    public static void Lrn(OpInvocation inv, Tensor[] inputs, Tensor[] outputs)
    {
        var v = Read(inputs[0]);
        var c = inputs[0].shape[-1];
        var r = inv.Int("depth_radius", 5);
        double bias = inv.Float("bias", 1), alpha = inv.Float("alpha", 1), beta = inv.Float("beta", 0.5);
        var y = new double[v.Length];
        for (long i = 0; i < v.Length; i++)
        {
            var ch = i % c;
            var row = i - ch;
            double sq = 0;
            for (var j = Math.Max(0, ch - r); j <= Math.Min(c - 1, ch + r); j++)
            {
                sq += v[row + j] * v[row + j];
            }
            y[i] = v[i] / Math.Pow(bias + alpha * sq, beta);
        }
        Write(outputs[0], y);
    }

    /// <summary>erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7).</summary>
    public static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + 0.3275911 * x);
        var y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}

internal static class Pool
{
    public static TensorSpec[] Shape(OpInvocation inv)
    {
        var x = Dims(inv.Inputs[0]);
        var k = inv.Ints("ksize");
        var s = inv.Ints("strides");
        var p = inv.String("padding", null, "SAME", "VALID");
        return new[] { new TensorSpec(new Shape(x[0], Window(inv, x[1], k[1], s[1], 1, p).Out, Window(inv, x[2], k[2], s[2], 1, p).Out, x[3]), inv.Inputs[0].DType) };
    }

    public static void Run(OpInvocation inv, Tensor[] inputs, Tensor[] outputs, bool max)
    {
        var x = Read(inputs[0]);
        var xd = Dims(inputs[0]);
        var od = Dims(outputs[0]);
        var k = inv.Ints("ksize");
        var s = inv.Ints("strides");
        var p = inv.String("padding");
        var padT = Window(inv, xd[1], k[1], s[1], 1, p).PadBefore;
        var padL = Window(inv, xd[2], k[2], s[2], 1, p).PadBefore;
        var y = new double[outputs[0].size];
        for (long n = 0; n < od[0]; n++)
        for (long oh = 0; oh < od[1]; oh++)
        for (long ow = 0; ow < od[2]; ow++)
        for (long c = 0; c < od[3]; c++)
        {
            double acc = max ? double.NegativeInfinity : 0;
            var count = 0;
            for (long i = 0; i < k[1]; i++)
            for (long j = 0; j < k[2]; j++)
            {
                var ih = oh * s[1] + i - padT;
                var iw = ow * s[2] + j - padL;
                if (ih < 0 || iw < 0 || ih >= xd[1] || iw >= xd[2])
                {
                    continue;
                }
                var v = x[((n * xd[1] + ih) * xd[2] + iw) * xd[3] + c];
                acc = max ? Math.Max(acc, v) : acc + v;
                count++;
            }
            y[((n * od[1] + oh) * od[2] + ow) * od[3] + c] = max ? acc : acc / count;
        }
        Write(outputs[0], y);
    }
}

internal static class Reduce
{
    private static (bool[] Reduced, bool Keep) Axes(OpInvocation inv)
    {
        var rank = inv.Inputs[0].Shape.ndim;
        var reduced = new bool[rank];
        foreach (var a in inv.RequireConstant(1, "reduction_indices"))
        {
            reduced[inv.Axis(a, rank)] = true;
        }
        return (reduced, inv.Bool("keep_dims", false));
    }

    public static TensorSpec[] Shape(OpInvocation inv)
    {
        var (reduced, keep) = Axes(inv);
        var x = Dims(inv.Inputs[0]);
        var o = new List<long>();
        for (var i = 0; i < x.Length; i++)
        {
            if (!reduced[i])
            {
                o.Add(x[i]);
            }
            else if (keep)
            {
                o.Add(1);
            }
        }
        return new[] { new TensorSpec(new Shape(o.ToArray()), inv.Inputs[0].DType) };
    }

    public static void Run(OpInvocation inv, Tensor[] inputs, Tensor[] outputs, string kind)
    {
        var (reduced, _) = Axes(inv);
        var x = Read(inputs[0]);
        var xd = Dims(inputs[0]);
        var y = new double[outputs[0].size];
        var count = new long[y.Length];
        if (kind == "max")
        {
            Array.Fill(y, double.NegativeInfinity);
        }
        for (long i = 0; i < x.Length; i++)
        {
            long rest = i, o = 0, mul = 1;
            for (var d = xd.Length - 1; d >= 0; d--)
            {
                var coord = rest % xd[d];
                rest /= xd[d];
                if (!reduced[d])
                {
                    o += coord * mul;
                    mul *= xd[d];
                }
            }
            y[o] = kind == "max" ? Math.Max(y[o], x[i]) : y[o] + x[i];
            count[o]++;
        }
        if (kind == "mean")
        {
            for (var i = 0; i < y.Length; i++)
            {
                y[i] /= count[i];
            }
        }
        Write(outputs[0], y);
    }
}

internal static class Arrays
{
    public static TensorSpec[] TransposeShape(OpInvocation inv)
    {
        var x = Dims(inv.Inputs[0]);
        var perm = inv.RequireConstant(1, "perm");
        return new[] { new TensorSpec(new Shape(perm.Select(p => x[p]).ToArray()), inv.Inputs[0].DType) };
    }

    public static void Transpose(OpInvocation inv, Tensor[] inputs, Tensor[] outputs)
    {
        var x = Read(inputs[0]);
        var xd = Dims(inputs[0]);
        var perm = inv.RequireConstant(1, "perm");
        var od = Dims(outputs[0]);
        var xs = new Shape(xd).Strides();
        var y = new double[x.Length];
        for (long o = 0; o < y.Length; o++)
        {
            long rest = o, src = 0;
            for (var d = od.Length - 1; d >= 0; d--)
            {
                src += rest % od[d] * xs[perm[d]];
                rest /= od[d];
            }
            y[o] = x[src];
        }
        Write(outputs[0], y);
    }

    public static TensorSpec[] ConcatShape(OpInvocation inv)
    {
        var n = (int)inv.Int("N");
        var first = Dims(inv.Inputs[0]);
        var axis = inv.Axis(inv.RequireConstant(n, "axis")[0], first.Length);
        var o = (long[])first.Clone();
        o[axis] = 0;
        for (var i = 0; i < n; i++)
        {
            var d = Dims(inv.Inputs[i]);
            for (var j = 0; j < d.Length; j++)
            {
                if (j != axis && d[j] != first[j])
                {
                    throw inv.Error($"input {i} dimension {j} is {d[j]}, expected {first[j]}");
                }
            }
            o[axis] += d[axis];
        }
        return new[] { new TensorSpec(new Shape(o), inv.Inputs[0].DType) };
    }

    public static void Concat(OpInvocation inv, Tensor[] inputs, Tensor[] outputs)
    {
        var n = (int)inv.Int("N");
        var od = Dims(outputs[0]);
        var axis = inv.Axis(inv.RequireConstant(n, "axis")[0], od.Length);
        var outer = od[..axis].Aggregate(1L, (a, b) => a * b);
        var inner = od[(axis + 1)..].Aggregate(1L, (a, b) => a * b);
        var y = new double[outputs[0].size];
        long offset = 0;
        for (var i = 0; i < n; i++)
        {
            var x = Read(inputs[i]);
            var width = inputs[i].shape[axis] * inner;
            for (long r = 0; r < outer; r++)
            {
                Array.Copy(x, r * width, y, r * od[axis] * inner + offset, width);
            }
            offset += width;
        }
        Write(outputs[0], y);
    }

    public static TensorSpec[] PadShape(OpInvocation inv)
    {
        var x = Dims(inv.Inputs[0]);
        var p = inv.RequireConstant(1, "paddings");
        return new[] { new TensorSpec(new Shape(x.Select((d, i) => d + p[2 * i] + p[2 * i + 1]).ToArray()), inv.Inputs[0].DType) };
    }

    public static void Pad(OpInvocation inv, Tensor[] inputs, Tensor[] outputs)
    {
        var x = Read(inputs[0]);
        var xd = Dims(inputs[0]);
        var od = Dims(outputs[0]);
        var p = inv.RequireConstant(1, "paddings");
        var os = new Shape(od).Strides();
        var y = new double[outputs[0].size];
        for (long i = 0; i < x.Length; i++)
        {
            long rest = i, dst = 0;
            for (var d = xd.Length - 1; d >= 0; d--)
            {
                dst += (rest % xd[d] + p[2 * d]) * os[d];
                rest /= xd[d];
            }
            y[dst] = x[i];
        }
        Write(outputs[0], y);
    }

    private static (long[] Begin, long[] Size, long[] Stride, bool[] Shrink) Slice(OpInvocation inv)
    {
        if (inv.Int("ellipsis_mask", 0) != 0 || inv.Int("new_axis_mask", 0) != 0)
        {
            throw inv.Error("test double does not support ellipsis or new axes");
        }
        var x = Dims(inv.Inputs[0]);
        var begin = inv.RequireConstant(1, "begin");
        var end = inv.RequireConstant(2, "end");
        var strides = inv.RequireConstant(3, "strides");
        long bm = inv.Int("begin_mask", 0), em = inv.Int("end_mask", 0), sm = inv.Int("shrink_axis_mask", 0);
        var b = new long[x.Length];
        var size = (long[])x.Clone();
        var st = Enumerable.Repeat(1L, x.Length).ToArray();
        var shrink = new bool[x.Length];
        for (var i = 0; i < begin.Length; i++)
        {
            if (strides[i] <= 0)
            {
                throw inv.Error("test double supports positive strides only");
            }
            st[i] = strides[i];
            var lo = (bm >> i & 1) != 0 ? 0 : Math.Clamp(begin[i] < 0 ? begin[i] + x[i] : begin[i], 0, x[i]);
            var hi = (em >> i & 1) != 0 ? x[i] : Math.Clamp(end[i] < 0 ? end[i] + x[i] : end[i], 0, x[i]);
            if ((sm >> i & 1) != 0)
            {
                shrink[i] = true;
                hi = lo + 1;
            }
            b[i] = lo;
            size[i] = Math.Max(0, (hi - lo + st[i] - 1) / st[i]);
        }
        return (b, size, st, shrink);
    }

    public static TensorSpec[] StridedSliceShape(OpInvocation inv)
    {
        var (_, size, _, shrink) = Slice(inv);
        return new[] { new TensorSpec(new Shape(size.Where((_, i) => !shrink[i]).ToArray()), inv.Inputs[0].DType) };
    }

    public static void StridedSlice(OpInvocation inv, Tensor[] inputs, Tensor[] outputs)
    {
        var (b, size, st, _) = Slice(inv);
        var x = Read(inputs[0]);
        var xs = inputs[0].shape.Strides();
        var y = new double[outputs[0].size];
        for (long o = 0; o < y.Length; o++)
        {
            long rest = o, src = 0;
            for (var d = size.Length - 1; d >= 0; d--)
            {
                src += (b[d] + rest % size[d] * st[d]) * xs[d];
                rest /= size[d];
            }
            y[o] = x[src];
        }
        Write(outputs[0], y);
    }

    public static TensorSpec[] GatherShape(OpInvocation inv)
    {
        if (inv.RequireConstant(2, "axis")[0] != 0)
        {
            throw inv.Error("test double supports axis 0 only");
        }
        var p = Dims(inv.Inputs[0]);
        return new[] { new TensorSpec(new Shape([.. Dims(inv.Inputs[1]), .. p[1..]]), inv.Inputs[0].DType) };
    }

    public static void Gather(OpInvocation inv, Tensor[] inputs, Tensor[] outputs)
    {
        var p = Read(inputs[0]);
        var ids = inputs[1].ToDoubleArray();
        var row = inputs[0].size / inputs[0].shape[0];
        var y = new double[outputs[0].size];
        for (var i = 0; i < ids.Length; i++)
        {
            Array.Copy(p, (long)ids[i] * row, y, i * row, row);
        }
        Write(outputs[0], y);
    }

    public static TensorSpec[] ReshapeShape(OpInvocation inv)
    {
        var target = inv.RequireConstant(1, "shape");
        var size = inv.Inputs[0].Shape.size;
        var known = target.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
        var o = target.Select(d => d == -1 ? size / known : d).ToArray();
        if (o.Aggregate(1L, (a, b) => a * b) != size)
        {
            throw inv.Error($"cannot reshape {size} elements to [{string.Join(",", target)}]");
        }
        return new[] { new TensorSpec(new Shape(o), inv.Inputs[0].DType) };
    }

    public static TensorSpec[] ExpandDimsShape(OpInvocation inv)
    {
        var x = Dims(inv.Inputs[0]).ToList();
        var a = inv.RequireConstant(1, "dim")[0];
        x.Insert((int)(a < 0 ? a + x.Count + 1 : a), 1);
        return new[] { new TensorSpec(new Shape(x.ToArray()), inv.Inputs[0].DType) };
    }
}
