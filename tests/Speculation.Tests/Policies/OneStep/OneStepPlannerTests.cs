using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Policies.OneStep;
using OnSram.Speculation.Policies.Static;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Policies.OneStep;

public sealed class OneStepPlannerTests
{
    private static readonly AcceleratorConfig Config = new(SpmBytes: 1 << 20, StreamBufferBytes: 0);

    [Fact]
    public void Plan_TensorWithTwoReaders_HeldUntilTheFirstThenWrittenBack()
    {
        // a = Relu(x) is read by ops 1 and 2; b and c by the next op only; d is a result. 64 elements: 128 B each.
        var s = new StreamBuilder();
        var x = s.Tensor(64);
        var a = s.Vector("Relu", [x]);
        var b = s.Vector("Neg", [a]);
        var c = s.Vector("AddV2", [b, a]);
        s.Vector("Relu", [c]);
        var g = s.Graph();
        int Ix(Events.TensorInfo t) => g.Tensors.Single(z => z.Id == t.Id).Index;

        var plan = new OneStepPlanner(Config).Plan(g);

        plan.Pinned.Should().BeEquivalentTo([Ix(a), Ix(b), Ix(c)]);
        plan.ReleaseAfter[Ix(a)].Should().Be(1);
        plan.ReleaseAfter[Ix(b)].Should().Be(2);
        // a saves its read by op 1 only: it is written back when it leaves, and op 2 reads it back.
        plan.PredictedSavedBytes.Should().Be(128 + 2 * 128 + 2 * 128);

        var sim = new Simulator(new OneStepPolicy(Config), Config);
        s.Feed(sim);
        var t = sim.Report().Totals;
        var pinned = new Simulator(new StaticPolicy(Config), Config);
        s.Feed(pinned);

        t.Holds.Should().Be(3);
        t.SpmHits.Should().Be(3);   // a at op 1, b at op 2, c at op 3
        t.SpmMisses.Should().Be(1); // a at op 2
        t.Drops.Should().Be(3);
        t.WriteBacks.Should().Be(2); // a when it left after op 1 (still read by op 2), and the result
        t.DramBytesWritten.Should().Be(2 * 128);
        pinned.Report().Totals.DramBytesWritten.Should().Be(128);
        pinned.Report().Totals.LatencySeconds.Should().BeLessThan(t.LatencySeconds);
    }
}
