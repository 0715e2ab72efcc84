using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Policies.PinFuse;

/// <summary>The planners on a hand-written MobileNetV1 stream (two identical iterations) on the paper device.</summary>
public sealed class MobileNetPlanningTests
{
    private static readonly StreamBuilder Stream = MobileNetStream.Build(2);

    private static SimulationReport Run(string policy)
    {
        var sim = new Simulator(PolicyRegistry.Default.Create(policy, AcceleratorPresets.Paper), AcceleratorPresets.Paper);
        Stream.Feed(sim);
        return sim.Report();
    }

    private static long External(SimulationReport r) => r.Iterations[^1].DramBytesRead + r.Iterations[^1].DramBytesWritten;

    [Fact]
    public void PinOrFuse_MobileNetV1_MovesLessExternalTrafficThanPinningOrFusionAlone()
    {
        var pinfuse = Run("pinfuse");
        var pin = Run("pin");
        var fuse = Run("fuse");

        // Weights are read the same way by all three: the difference is feature-map traffic (and halo re-reads).
        new[] { pin, fuse }.Select(r => r.Iterations[^1].ExternalTensorBytesRead).Should().AllBeEquivalentTo(pinfuse.Iterations[^1].ExternalTensorBytesRead);
        External(pinfuse).Should().BeLessThan(External(pin));
        External(pinfuse).Should().BeLessThan(External(fuse));
        pinfuse.Totals.HoldFailures.Should().Be(0);
        pin.Totals.HoldFailures.Should().Be(0);
        fuse.Totals.HoldFailures.Should().Be(0);
        // Fusion recomputes halos.
        fuse.Totals.Flops.Should().BeGreaterThan(pin.Totals.Flops);
    }

    [Fact]
    public void Static_MobileNetV1_BeatsBaselineAndOneStep_LiveEqualsPreviewAfterCapture()
    {
        var baseline = Run("baseline");
        var onestep = Run("onestep");
        var stat = Run("static");
        var live = Run("static-live");

        stat.Iterations[1].LatencySeconds.Should().BeLessThan(onestep.Iterations[1].LatencySeconds);
        onestep.Iterations[1].LatencySeconds.Should().BeLessThan(baseline.Iterations[1].LatencySeconds);
        stat.Totals.HoldFailures.Should().Be(0);
        live.Iterations[0].Should().Be(baseline.Iterations[0]);
        live.Iterations[1].Should().Be(stat.Iterations[1]);
    }
}
