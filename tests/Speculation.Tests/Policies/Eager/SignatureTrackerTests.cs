using OnSram.Speculation.Events;
using OnSram.Speculation.Policies.Eager;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Policies.Eager;

public sealed class SignatureTrackerTests
{
    private static OpEvent Relu(long input, long output) => Ev.Vector("Relu", 4, [Ev.T(input, 4)], Ev.T(output, 4));

    [Fact]
    public void Next_SameOpNextIteration_SameSignature()
    {
        var t = new SignatureTracker();
        var first = t.Next(Relu(1, 10));
        var chained = t.Next(Relu(10, 11));
        t.IterationMark();

        t.Next(Relu(2, 20)).Should().Be(first);
        t.Next(Relu(20, 21)).Should().Be(chained);
    }

    [Fact]
    public void Next_IdenticalLayersInOneIteration_DifferOnlyByOccurrence()
    {
        var t = new SignatureTracker();
        var a = t.Next(Relu(1, 10));
        var b = t.Next(Relu(2, 11));

        (a.Base, a.Context).Should().Be((b.Base, b.Context));
        (a.Occurrence, b.Occurrence).Should().Be((0, 1));
        a.Value.Should().NotBe(b.Value);
    }

    [Fact]
    public void Next_DifferentProducerOfInput_DifferentContext()
    {
        var t = new SignatureTracker();
        t.Next(Ev.Vector("Sigmoid", 4, [Ev.T(1, 4)], Ev.T(10, 4)));
        t.Next(Relu(2, 11));
        var afterSigmoid = t.Next(Relu(10, 12));
        var afterRelu = t.Next(Relu(11, 13));

        afterSigmoid.Base.Should().Be(afterRelu.Base);
        afterSigmoid.Context.Should().NotBe(afterRelu.Context);
    }

    [Fact]
    public void Next_DifferentShapeOrAttributes_DifferentBase()
    {
        var a = SignatureTracker.BaseOf(Ev.Vector("Relu", 4, [Ev.T(1, 4)], Ev.T(10, 4)));
        var b = SignatureTracker.BaseOf(Ev.Vector("Relu", 8, [Ev.T(1, 8)], Ev.T(10, 8)));
        var c = SignatureTracker.BaseOf(new OpEvent("Relu", "x=1", OnSram.Accelerator.ComputeUnit.Vector, 4, [Ev.T(1, 4)], [Ev.T(10, 4)], OpTraits.Elementwise));
        var d = SignatureTracker.BaseOf(Ev.Vector("Relu", 4, [Ev.T(99, 4)], Ev.T(98, 4)));

        new[] { b, c }.Should().NotContain(a);
        d.Should().Be(a, "tensor ids are not part of a signature");
    }

    [Fact]
    public void Next_NoMarks_RestartsWhenTheFirstOpRecursWithNothingAlive()
    {
        var t = new SignatureTracker();
        var first = t.Next(Relu(1, 10));
        t.Next(Relu(10, 11));
        var identical = t.Next(Relu(3, 12));   // the first op's context again, but 10 and 11 are alive
        identical.Occurrence.Should().Be(1);
        t.Released(10);
        t.Released(11);
        t.Released(12);

        t.Next(Relu(2, 20)).Should().Be(first);
    }
}
