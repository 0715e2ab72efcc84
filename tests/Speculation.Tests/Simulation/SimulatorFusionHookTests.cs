using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Simulation;

public sealed class SimulatorFusionHookTests
{
    /// <summary>Holds op 0's output as a 256-byte band and charges op 0 with 1000 extra FLOPs of recompute.</summary>
    private sealed class FusePolicy : ISpmPolicy, IOpAdjustment
    {
        public string Name => "fuse-test";

        public HoldDecision Decide(in HoldRequest request) =>
            request.OpIndex == 0 ? HoldDecision.HoldReserved(256, "fused band") : HoldDecision.Discard("not fused");

        public OpAdjustment Adjust(int opIndex, in OpEvent op) => opIndex == 0 ? new OpAdjustment(1000, 0) : OpAdjustment.None;
    }

    [Fact]
    public void HoldReserved_FusedBand_TakesItsFootprintAndStillHits()
    {
        var config = AcceleratorPresets.Paper;
        var sim = new Simulator(new FusePolicy(), config, new SimulatorOptions(RecordOps: true));
        sim.OnOp(Ev.Vector("Relu", 2000, [Ev.T(1, 2000)], Ev.T(10, 2000)));
        sim.State.CapacityBytes.Should().Be(config.HoldableSpmBytes);
        sim.State.FreeBytes.Should().Be(config.HoldableSpmBytes - 256);
        sim.State.TryGetTensor(10, out var status).Should().BeTrue();
        status.DeviceBytes.Should().Be(4000);
        status.BlockBytes.Should().Be(256);
        sim.OnOp(Ev.Vector("Neg", 2000, [Ev.T(10, 2000)], Ev.T(11, 2000)));
        var t = sim.Report().Totals;
        t.SpmHits.Should().Be(1);
        t.Flops.Should().Be(2000 + 1000 + 2000);
        sim.OpRecords[0].Cost.ComputeSeconds.Should().BeApproximately(3000 / config.VectorFlopsPerSecond, 1e-20);
    }
}
