using OnSram.Accelerator;
using OnSram.Runtime.Ops;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Tests.Simulation;

/// <summary>Test-only op: y = 2x on the vector array, one FLOP per element (float32 only).</summary>
public sealed class TestDouble : IOpDefinition
{
    public string OpType => "TestDouble";

    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(1);
        invocation.ExpectDType(0, DType.Float32);
        var spec = invocation.Inputs[0];
        return new DelegatePlan([spec], spec.Shape.size, ComputeUnit.Vector, OpTraits.Elementwise, (ins, outs) =>
        {
            var x = TensorData.ReadFloats(ins[0]);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] *= 2;
            }
            TensorData.WriteFloats(outs[0], x);
        });
    }
}

/// <summary>Test-only op: z = x + y on the vector array (same shapes, float32 only).</summary>
public sealed class TestAdd : IOpDefinition
{
    public string OpType => "TestAdd";

    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(2, 2);
        invocation.ExpectDType(0, DType.Float32);
        invocation.ExpectDType(1, DType.Float32);
        var spec = invocation.Inputs[0];
        return new DelegatePlan([spec], spec.Shape.size, ComputeUnit.Vector, OpTraits.Elementwise, (ins, outs) =>
        {
            var x = TensorData.ReadFloats(ins[0]);
            var y = TensorData.ReadFloats(ins[1]);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] += y[i];
            }
            TensorData.WriteFloats(outs[0], x);
        });
    }
}

internal static class SimulationScript
{
    public static OpRegistry Registry { get; } = OpRegistry.Default.With(new TestDouble(), new TestAdd());

    /// <summary>Two inferences of a small residual chain, with scopes releasing intermediates.</summary>
    public static float[] Run(EagerContext context)
    {
        using var _ = context.Activate();
        float[] result = [];
        for (var iteration = 0; iteration < 2; iteration++)
        {
            using (var scope = context.BeginScope())
            {
                var x = Binding.tf.constant(Enumerable.Range(0, 4096).Select(i => (float)i).ToArray());
                var a = context.Execute("TestDouble", [x])[0];
                var b = context.Execute("TestDouble", [a])[0];
                var c = context.Execute("TestAdd", [a, b])[0];
                result = c.ToFloatArray();
            }
            context.Mark("iteration");
        }
        return result;
    }
}
