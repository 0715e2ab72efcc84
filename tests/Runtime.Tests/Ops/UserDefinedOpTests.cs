using OnSram.Accelerator;
using OnSram.Runtime.Ops;
using OnSram.Runtime.Tests.Support;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Tests.Ops;

public sealed class UserDefinedOpTests
{
    /// <summary>A user op defined outside the registry's assembly: doubles its float32 input.</summary>
    private sealed class TimesTwo : IOpDefinition
    {
        public string OpType => "TimesTwo";

        public OpPlan Plan(OpInvocation invocation)
        {
            invocation.ExpectInputs(1);
            invocation.ExpectDType(0, DType.Float32);
            return new TimesTwoPlan(invocation.Inputs[0]);
        }
    }

    private sealed class TimesTwoPlan(TensorSpec spec) : OpPlan([spec], spec.Shape.size, ComputeUnit.Vector, OpTraits.Elementwise)
    {
        public override void Execute(Tensor[] inputs, Tensor[] outputs)
        {
            var x = InputData<float>(inputs[0]);
            var y = OutputData<float>(outputs[0]);
            for (var i = 0; i < x.Length; i++)
            {
                y[i] = 2 * x[i];
            }
        }
    }

    [Fact]
    public void Execute_UserDefinedOp_ComputesThroughPublicAccessorsAndIsObserved()
    {
        var ctx = new EagerContext(registry: OpRegistry.Default.With(new TimesTwo()));
        using var _ = ctx.Activate();
        var rec = new RecordingObserver();
        using var __ = ctx.Attach(rec);
        var x = Binding.tf.constant(new[] { 1f, -2f, 3.5f });

        var y = ctx.Execute("TimesTwo", [x])[0];

        y.ToArray<float>().Should().Equal(2f, -4f, 7f);
        rec.Ops.Should().ContainSingle().Which.Flops.Should().Be(3);
    }

    [Fact]
    public void Execute_UserDefinedOp_WrongDType_ThrowsNamingOp()
    {
        var ctx = new EagerContext(registry: OpRegistry.Default.With(new TimesTwo()));
        using var _ = ctx.Activate();
        var x = Binding.tf.constant(new[] { 1, 2 });

        var act = () => ctx.Execute("TimesTwo", [x]);

        act.Should().Throw<OpException>().WithMessage("TimesTwo: input 0 has dtype int32*");
    }
}
