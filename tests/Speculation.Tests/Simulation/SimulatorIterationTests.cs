using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Logging;
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

    private sealed class TransferLog : ISimulationRecorder
    {
        public List<TransferRecord> Transfers { get; } = new();

        public void OnOp(in OpRecord record)
        {
        }

        public void OnTransfer(in TransferRecord transfer) => Transfers.Add(transfer);

        public void OnFinish(SimulationReport report)
        {
        }
    }

    private static (RecordingDecisionLog Log, TransferLog Recorder, SimulationReport Report) TailRun(bool opsAfterTail)
    {
        var log = new RecordingDecisionLog();
        var recorder = new TransferLog();
        var sim = new Simulator(new InfinitePolicy(), AcceleratorPresets.Paper, new SimulatorOptions(DecisionLog: log, Recorder: recorder));
        var x = Ev.T(1, 1000);
        sim.OnOp(Ev.Vector("Relu", 1000, [x], Ev.T(10, 1000)));
        sim.OnOp(Ev.Vector("Neg", 1000, [Ev.T(10, 1000)], Ev.T(11, 1000)));
        sim.OnOp(Ev.Vector("Neg", 1000, [Ev.T(10, 1000)], Ev.T(12, 1000)));
        sim.OnMark(Marks.Iteration);
        sim.OnRelease(11); // a result released after the mark: written back in the tail
        if (opsAfterTail)
        {
            sim.OnOp(Ev.Vector("Relu", 1000, [x], Ev.T(20, 1000)));
            sim.OnRelease(20);
        }
        return (log, recorder, sim.Report()); // 12 is a result still held at the end
    }

    [Fact]
    public void Tail_WithoutOps_ItsDecisionsAndTransfersAreLabelledWithTheIterationTheyAreChargedTo()
    {
        var (log, recorder, report) = TailRun(opsAfterTail: false);

        report.Iterations.Should().ContainSingle();
        var results = log.Decisions.Where(d => d.Kind == DecisionKind.WriteBackResult).ToList();
        results.Select(d => d.TensorId).Should().BeEquivalentTo([11L, 12L]);
        results.Should().OnlyContain(d => d.Iteration == 0, "the tail's cost is added to iteration 0, the only one reported");
        recorder.Transfers.Select(t => t.Kind).Should().Equal(TransferKind.ReleasedResult, TransferKind.EndOfRun);
        recorder.Transfers.Should().OnlyContain(t => t.Iteration == 0, "a transfer record names the iteration it is charged to");
    }

    [Fact]
    public void Tail_WithOps_ReleasesAfterTheMarkBelongToTheNewIteration()
    {
        var (log, recorder, report) = TailRun(opsAfterTail: true);

        report.Iterations.Should().HaveCount(2);
        log.Decisions.Where(d => d.Kind == DecisionKind.WriteBackResult).Select(d => (d.TensorId, d.Iteration))
            .Should().Equal((11L, 1), (20L, 1), (12L, 1));
        recorder.Transfers.Select(t => (t.Kind, t.Iteration)).Should().Equal(
            (TransferKind.ReleasedResult, 1), (TransferKind.ReleasedResult, 1), (TransferKind.EndOfRun, 1));
        report.Iterations[1].WriteBacks.Should().Be(3);
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
