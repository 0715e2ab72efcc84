using OnSram.Accelerator;
using OnSram.Runtime.Ops;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Tests.Traces;

/// <summary>Test-only ops with real kernels, for recording a live run and replaying its trace.</summary>
public static class RoundTripOps
{
    public static OpRegistry Registry { get; } = OpRegistry.Default.With(
        new FakeOp("TestDense", inv =>
        {
            inv.ExpectInputs(2);
            var a = inv.Inputs[0].Shape;
            var b = inv.Inputs[1].Shape;
            return new FakePlan([new TensorSpec(new Shape(a[0], b[1]), DType.Float32)], 2.0 * a[0] * b[1] * a[1], ComputeUnit.Matrix,
                new OpTraits(b[1]));
        }, (ins, outs) =>
        {
            var a = ins[0].ToArray<float>();
            var b = ins[1].ToArray<float>();
            var (m, k, n) = ((int)ins[0].shape[0], (int)ins[0].shape[1], (int)ins[1].shape[1]);
            var c = outs[0].Data<float>();
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var s = 0f;
                    for (var p = 0; p < k; p++)
                    {
                        s += a[i * k + p] * b[p * n + j];
                    }
                    c[i * n + j] = s;
                }
            }
        }),
        new FakeOp("TestScale", inv =>
        {
            inv.ExpectInputs(1);
            inv.Float("alpha");
            return new FakePlan([inv.Inputs[0]], inv.Inputs[0].Shape.size, ComputeUnit.Vector, OpTraits.Elementwise);
        }, (ins, outs) => { }),
        new FakeOp("TestSplit", inv =>
        {
            inv.ExpectInputs(1);
            var parts = (int)inv.Int("num_split");
            var x = inv.Inputs[0].Shape;
            var spec = new TensorSpec(new Shape(x[0] / parts), inv.Inputs[0].DType);
            return new FakePlan(Enumerable.Repeat(spec, parts).ToArray(), 0, ComputeUnit.Vector, OpTraits.Elementwise);
        }, (ins, outs) => { }),
        new FakeOp("TestView", inv =>
        {
            inv.ExpectInputs(1);
            var dims = inv.Ints("shape");
            return new FakePlan([new TensorSpec(new Shape(dims), inv.Inputs[0].DType)], 0, ComputeUnit.Vector, OpTraits.Elementwise, ViewOf: 0);
        }),
        new FakeOp("TestAttrs", inv =>
        {
            inv.ExpectInputs(1);
            return new FakePlan([new TensorSpec(inv.Inputs[0].Shape, inv.Type("T"))], 3, ComputeUnit.Vector, new OpTraits(2.5, 3, 1, 2, 1, 1, 1));
        }, (ins, outs) => { }));

    /// <summary>Attributes of every kind the format encodes.</summary>
    public static OpAttrs AllKinds { get; } = OpAttrs.Of(
        ("T", DType.Float16),
        ("alpha", 0.1),
        ("one", 1.0),
        ("tiny", 1e-7),
        ("huge", 1e300),
        ("negzero", -0.0),
        ("count", 3L),
        ("flag", true),
        ("off", false),
        ("padding", "SAME"),
        ("quoted", "a \"b\" \\ é <tag> +"),
        ("ints", new long[] { 1, -2, 3 }),
        ("floats", new[] { 1.0, 2.5 }),
        ("names", new[] { "x", "y" }),
        ("empty", Array.Empty<long>()));
}
