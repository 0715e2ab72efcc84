using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Policies.Baseline;
using OnSram.Speculation.Policies.Infinite;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Simulation;

public sealed class SimulatorIterationTests
{
    private static Simulator Sim(bool infinite = false) =>
        new(infinite ? new InfinitePolicy() : new BaselinePolicy(), AcceleratorPresets.Paper);

    private static void Inference(Simulator sim, long baseId)
    {
        var x = Ev.T(1, 1000);
        var a = Ev.T(baseId, 1000);
        sim.OnOp(Ev.Vector("Relu", 1000, [x], a));
        sim.OnOp(Ev.Vector("Neg", 1000, [a], Ev.T(baseId + 1, 1000)));
    }

    [Fact]
    public void Marks_TwoIterations_EachHasItsFiguresAndTheySumToTheTotals()
    {
        var sim = Sim();
        Inference(sim, 10);
        sim.OnMark(Marks.Iteration);
        Inference(sim, 20);
        sim.OnMark("layer"); // other labels do not close iterations
        sim.OnMark(Marks.Iteration);
        var report = sim.Report();

        report.Iterations.Should().HaveCount(2);
        report.Iterations[0].Ops.Should().Be(2);
        report.Iterations[0].Should().Be(report.Iterations[1]);
        report.Iterations.Sum(i => i.DramBytesRead).Should().Be(report.Totals.DramBytesRead);
        report.Iterations.Sum(i => i.LatencySeconds).Should().BeApproximately(report.Totals.LatencySeconds, 1e-18);
    }

    [Fact]
    public void Tail_WithOps_IsAnIteration()
    {
        var sim = Sim();
        Inference(sim, 10);
        sim.OnMark(Marks.Iteration);
        Inference(sim, 20);
        sim.Report().Iterations.Should().HaveCount(2);
    }

    [Fact]
    public void Tail_WithoutOps_IsAddedToTheLastIteration()
    {
        var sim = Sim(infinite: true);
        Inference(sim, 10);
        sim.OnMark(Marks.Iteration);
        // Released after the mark: 11 was never read, so it is a result written back in the tail.
        sim.OnRelease(11);
        var report = sim.Report();
        report.Iterations.Should().ContainSingle().Which.Should().Be(report.Totals);
        report.Totals.WriteBacks.Should().Be(1);
        report.Totals.DramBytesWritten.Should().Be(2000);
    }

    [Fact]
    public void Marks_WithoutOps_CloseEmptyIterations_AndAnEmptyRunHasNone()
    {
        var sim = Sim();
        sim.OnMark(Marks.Iteration);
        sim.Report().Iterations.Should().ContainSingle().Which.Ops.Should().Be(0, "a mark closes an iteration even without ops");
        Sim().Report().Iterations.Should().BeEmpty();
    }

    [Fact]
    public void OnOp_AfterFinish_Throws()
    {
        var sim = Sim();
        sim.Finish();
        FluentActions.Invoking(() => Inference(sim, 10)).Should().Throw<InvalidOperationException>().WithMessage("*finished*");
        sim.Report().Should().BeSameAs(sim.Report());
    }

    [Fact]
    public void Inputs_SameTensorTwice_CountOnce()
    {
        var sim = new Simulator(new InfinitePolicy(), AcceleratorPresets.Paper, new SimulatorOptions(RecordOps: true));
        var x = Ev.T(1, 1000);
        sim.OnOp(Ev.Vector("Relu", 1000, [x], Ev.T(10, 1000)));
        sim.OnOp(Ev.Vector("Mul", 1000, [Ev.T(10, 1000), Ev.T(10, 1000)], Ev.T(11, 1000)));
        sim.OnOp(Ev.Vector("Mul", 1000, [x, x], Ev.T(12, 1000)));
        var t = sim.Report().Totals;
        t.SpmHits.Should().Be(1);
        t.ExternalReads.Should().Be(2);
        sim.OpRecords[2].Cost.ExternalReadBytes.Should().Be(2000);
    }

    [Fact]
    public void IntegerTensors_KeepTheirHostWidthOnTheDevice()
    {
        var sim = new Simulator(new BaselinePolicy(), AcceleratorPresets.Paper);
        sim.OnOp(Ev.Vector("Cast", 0, [Ev.Int(1, 100)], Ev.T(10, 100)));
        var t = sim.Report().Totals;
        t.DramBytesRead.Should().Be(400);
        t.DramBytesWritten.Should().Be(200);
    }
}
