using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;

namespace OnSram.Speculation.Tests.Support;

/// <summary>
/// Small event streams worked by hand in the eager and oracle tests. Every tensor is float32 on the host, FP16 on
/// the device; <see cref="B"/> is the device size of a 65,536-element tensor (128 KiB). The device is the paper
/// preset with a 4B scratchpad, of which 3.75B is holdable (the 32 KiB streaming buffer is reserved). Activation ids are 1000 x (iteration + 1) + k; external tensors keep their ids.
/// </summary>
public static class HandStreams
{
    /// <summary>Device bytes of a 65,536-element tensor.</summary>
    public const long B = 131_072;

    /// <summary>Elements of a B-byte tensor.</summary>
    public const long U = 65_536;

    /// <summary>The paper preset with a 4B (512 KiB) scratchpad: 3.75B (480 KiB) holdable.</summary>
    public static AcceleratorConfig Config { get; } = (AcceleratorPresets.Paper with { Name = "hand", SpmBytes = 4 * B }).Validate();

    /// <summary>Id of activation <paramref name="k"/> of iteration <paramref name="iteration"/>.</summary>
    public static long Id(int iteration, int k) => 1000L * (iteration + 1) + k;

    /// <summary>
    /// A residual block behind a blocker. Per iteration:
    /// op0 <c>w = Pad(e0)</c> (3.5B, never read); op1 <c>x = Relu(e1)</c> (the skip tensor, B);
    /// op2 <c>a = Relu(x)</c>; op3 <c>b = Relu(a)</c>, release a; op4 <c>y = AddV2(b, x)</c> (never read), release b
    /// and x; release y and w at the end. Ids: w=k0, x=k1, a=k2, b=k3, y=k4.
    /// </summary>
    public static void Residual(IEventSink sink, int iterations)
    {
        var e0 = Ev.T(10, U);
        var e1 = Ev.T(11, U);
        for (var i = 0; i < iterations; i++)
        {
            var w = Ev.T(Id(i, 0), 7 * U / 2);
            var x = Ev.T(Id(i, 1), U);
            var a = Ev.T(Id(i, 2), U);
            var b = Ev.T(Id(i, 3), U);
            var y = Ev.T(Id(i, 4), U);
            sink.OnOp(Ev.Vector("Pad", 0, [e0], w));
            sink.OnOp(Ev.Vector("Relu", U, [e1], x));
            sink.OnOp(Ev.Vector("Relu", U, [x], a));
            sink.OnOp(Ev.Vector("Relu", U, [a], b));
            sink.OnRelease(a.Id);
            sink.OnOp(Ev.Vector("AddV2", U, [b, x], y));
            sink.OnRelease(b.Id);
            sink.OnRelease(x.Id);
            sink.OnRelease(y.Id);
            sink.OnRelease(w.Id);
            sink.OnMark(Marks.Iteration);
        }
    }

    /// <summary>
    /// A tensor read once far away, with a chain in between. Per iteration: op0 <c>f = MatMul(e0, e2)</c> (2B, on the
    /// matrix array: 2 x 512^3 FLOPs take 89.5 us, its 4B of traffic 16.4 us, so writing f back there is free);
    /// op1 <c>c1 = Relu(e1)</c> (1.5B); op2..op4 <c>c(k) = Relu(c(k-1))</c>, each releasing its input; op5
    /// <c>z = ConcatV2(c4, f)</c> (B, never read), releasing c4 and f; z released at the end.
    /// Ids: f=k0, c1..c4=k1..k4, z=k5.
    /// </summary>
    public static void FarRead(IEventSink sink, int iterations)
    {
        var e0 = Ev.T(10, U);
        var e1 = Ev.T(11, U);
        var e2 = Ev.T(12, U);
        for (var i = 0; i < iterations; i++)
        {
            var f = Ev.T(Id(i, 0), 2 * U);
            var c = new TensorInfo[5];
            for (var k = 1; k <= 4; k++)
            {
                c[k] = Ev.T(Id(i, k), 3 * U / 2);
            }
            var z = Ev.T(Id(i, 5), U);
            sink.OnOp(Ev.Matrix("MatMul", 2.0 * 512 * 512 * 512, [e0, e2], f));
            sink.OnOp(Ev.Vector("Relu", 3 * U / 2, [e1], c[1]));
            for (var k = 2; k <= 4; k++)
            {
                sink.OnOp(Ev.Vector("Relu", 3 * U / 2, [c[k - 1]], c[k]));
                sink.OnRelease(c[k - 1].Id);
            }
            sink.OnOp(Ev.Vector("ConcatV2", 0, [c[4], f], z));
            sink.OnRelease(c[4].Id);
            sink.OnRelease(f.Id);
            sink.OnRelease(z.Id);
            sink.OnMark(Marks.Iteration);
        }
    }

    /// <summary>
    /// Two identical layers: op0 <c>p = Relu(e0)</c> and op1 <c>q = Relu(e1)</c> (same type, attributes, shapes and
    /// input kind: one base and context signature); p is read by op2 <c>r = Relu(p)</c>, q by nobody. p and q are B,
    /// r is B and never read. Releases: q after op1, p after op2, r at the end. Ids: p=k0, q=k1, r=k2.
    /// </summary>
    public static void IdenticalLayers(IEventSink sink, int iterations)
    {
        var e0 = Ev.T(10, U);
        var e1 = Ev.T(11, U);
        for (var i = 0; i < iterations; i++)
        {
            var p = Ev.T(Id(i, 0), U);
            var q = Ev.T(Id(i, 1), U);
            var r = Ev.T(Id(i, 2), U);
            sink.OnOp(Ev.Vector("Relu", U, [e0], p));
            sink.OnOp(Ev.Vector("Relu", U, [e1], q));
            sink.OnRelease(q.Id);
            sink.OnOp(Ev.Vector("Relu", U, [p], r));
            sink.OnRelease(p.Id);
            sink.OnRelease(r.Id);
            sink.OnMark(Marks.Iteration);
        }
    }

    /// <summary>
    /// A chain released at the end of each iteration (one scope around it). Per iteration: op0 <c>a = Relu(e1)</c>;
    /// op1 <c>b = Relu(a)</c>; op2 <c>c = Relu(b)</c> (never read); from iteration <paramref name="extraReadFrom"/> on,
    /// also op3 <c>d = Neg(a)</c> (never read): a gets a second, far read the earlier iterations did not have. All are
    /// B; a, b, c (and d) are released after the last op. Ids: a..d = k0..k3.
    /// </summary>
    public static void ScopedChain(IEventSink sink, int iterations, int extraReadFrom = int.MaxValue)
    {
        var e1 = Ev.T(11, U);
        for (var i = 0; i < iterations; i++)
        {
            var a = Ev.T(Id(i, 0), U);
            var b = Ev.T(Id(i, 1), U);
            var c = Ev.T(Id(i, 2), U);
            var d = Ev.T(Id(i, 3), U);
            sink.OnOp(Ev.Vector("Relu", U, [e1], a));
            sink.OnOp(Ev.Vector("Relu", U, [a], b));
            sink.OnOp(Ev.Vector("Relu", U, [b], c));
            var extra = i >= extraReadFrom;
            if (extra)
            {
                sink.OnOp(Ev.Vector("Neg", U, [a], d));
            }
            sink.OnRelease(a.Id);
            sink.OnRelease(b.Id);
            sink.OnRelease(c.Id);
            if (extra)
            {
                sink.OnRelease(d.Id);
            }
            sink.OnMark(Marks.Iteration);
        }
    }

    /// <summary>
    /// A chain of wide tensors, two of which do not fit the SPM together: per iteration op0 <c>a = Relu(e3)</c>, op1
    /// <c>b = Relu(a)</c>, op2 <c>c = Relu(b)</c>, op3 <c>d = Relu(c)</c> (never read), each 2B, each input released right
    /// after its reader, d at the end. Ids: a..d = k0..k3.
    /// </summary>
    public static void WideChain(IEventSink sink, int iterations)
    {
        var e3 = Ev.T(13, 2 * U);
        for (var i = 0; i < iterations; i++)
        {
            var t = new TensorInfo[4];
            for (var k = 0; k < 4; k++)
            {
                t[k] = Ev.T(Id(i, k), 2 * U);
            }
            sink.OnOp(Ev.Vector("Relu", 2 * U, [e3], t[0]));
            for (var k = 1; k < 4; k++)
            {
                sink.OnOp(Ev.Vector("Relu", 2 * U, [t[k - 1]], t[k]));
                sink.OnRelease(t[k - 1].Id);
            }
            sink.OnRelease(t[3].Id);
            sink.OnMark(Marks.Iteration);
        }
    }
}
