using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Logging;
using OnSram.Speculation.Planning;
using OnSram.Speculation.Policies.Baseline;
using OnSram.Speculation.Policies.Static;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace OnSram.Speculation.Tests.Planning;

/// <summary>Capture-then-apply: iteration 1 runs as the baseline, later iterations apply its plan op by op.</summary>
public sealed class PlanExecutorLiveTests
{
    private static readonly AcceleratorConfig Config = new(SpmBytes: 1 << 20, StreamBufferBytes: 0);

    private sealed class Collect : ILogEventSink
    {
        public List<LogEvent> Events { get; } = new();

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    /// <summary>a = Relu(x); b = Neg(a); c = AddV2(b, a); Relu(c) -- or, diverging at op 2, ConcatV2(b, a) of
    /// twice the length, then Relu of that.</summary>
    private static void Iteration(StreamBuilder s, TensorInfo x, bool diverge)
    {
        var a = s.Vector("Relu", [x]);
        var b = s.Vector("Neg", [a]);
        var c = diverge ? s.Vector("ConcatV2", [b, a], [2 * x.Elements]) : s.Vector("AddV2", [b, a]);
        s.Vector("Relu", [c]);
        s.Mark();
    }

    private static StreamBuilder Stream(params bool[] diverge)
    {
        var s = new StreamBuilder();
        var x = s.Tensor(4096);
        foreach (var d in diverge)
        {
            Iteration(s, x, d);
        }
        return s;
    }

    private sealed class Entries : IDecisionLog
    {
        public List<DecisionEntry> All { get; } = new();

        public void Decision(in DecisionEntry entry) => All.Add(entry);

        public void Summary(SimulationReport report)
        {
        }
    }

    private static (SimulationReport Report, Simulator Sim) Run(OnSram.Speculation.Policies.ISpmPolicy policy, StreamBuilder s, IDecisionLog? log = null)
    {
        var sim = new Simulator(policy, Config, new SimulatorOptions(RecordOps: true, DecisionLog: log));
        s.Feed(sim);
        return (sim.Report(), sim);
    }

    [Fact]
    public void Live_MatchingIterations_FirstIsBaselineLaterEqualThePreviewedPlan()
    {
        var s = Stream(false, false, false);
        var (live, _) = Run(new StaticLivePolicy(Config), s);
        var (preview, _) = Run(new StaticPolicy(Config), s);
        var (baseline, _) = Run(new BaselinePolicy(), s);

        live.Iterations.Should().HaveCount(3);
        live.Iterations[0].Should().Be(baseline.Iterations[0]);
        live.Iterations[1].Should().Be(preview.Iterations[1]);
        live.Iterations[2].Should().Be(preview.Iterations[2]);
        // Planned: a, b, c held, only the result written; no write-back of dead tensors in the live run either.
        live.Iterations[1].DramBytesWritten.Should().Be(4096 * 2);
        live.Iterations[1].HoldFailures.Should().Be(0);
        live.Iterations[1].LatencySeconds.Should().BeLessThan(baseline.Iterations[1].LatencySeconds);
    }

    [Fact]
    public void Live_DivergingIteration_FallsBackToBaselineWithAWarningAndCorrectFigures()
    {
        var s = Stream(false, true, false);
        var collect = new Collect();
        using var logger = new LoggerConfiguration().WriteTo.Sink(collect).CreateLogger();
        var policy = new StaticLivePolicy(Config, null, logger);
        var log = new Entries();
        var (live, sim) = Run(policy, s, log);
        var (baseline, baseSim) = Run(new BaselinePolicy(), s);
        var (steady, _) = Run(new StaticLivePolicy(Config), Stream(false, false, false));

        // One warning, at op 2 of iteration 1 (op index 6), naming the difference; logged once.
        policy.Warnings.Should().ContainSingle();
        var w = policy.Warnings[0];
        (w.Iteration, w.OpIndex, w.Position).Should().Be((1, 6, 2));
        w.Message.Should().Contain("ConcatV2").And.Contain("AddV2");
        collect.Events.Should().ContainSingle().Which.Level.Should().Be(LogEventLevel.Warning);
        // The speculation log says why op 6 was written back, and why a and b were dropped after it.
        log.All.Where(e => e.OpIndex == 6).Select(e => e.Kind).Should().Equal(DecisionKind.Discard, DecisionKind.Drop, DecisionKind.Drop);
        log.All.Where(e => e.OpIndex == 6).Should().OnlyContain(e => e.Reason.Contains("diverged") && e.Reason.Contains("ConcatV2"));
        log.All.Single(e => e.OpIndex == 7).Reason.Should().Be("diverged from the captured graph: baseline");

        // Ops 4 and 5 follow the plan (a and b held); op 6 diverges: it still reads a and b from the SPM, its output
        // is written back, and a and b are dropped after it, written back because they may still be needed.
        var records = sim.OpRecords;
        records[6].AfterOpTransfer.ExternalWriteBytes.Should().Be(2 * 4096 * 2);
        records[6].Cost.ExternalWriteBytes.Should().Be(baseSim.OpRecords[6].Cost.ExternalWriteBytes);
        // From there on the iteration runs exactly as the baseline.
        records[7].Cost.Should().Be(baseSim.OpRecords[7].Cost);
        // Iteration 2 matches the captured graph again and gets the plan back.
        live.Iterations[2].Should().Be(steady.Iterations[2]);
        live.Iterations[0].Should().Be(baseline.Iterations[0]);
        live.Totals.HoldFailures.Should().Be(0);
        // The diverged iteration writes a and b (dropped live, 8192 B each), c' (discarded, 8192 elements = 16384 B)
        // and the result (16384 B).
        live.Iterations[1].DramBytesWritten.Should().Be(2 * 8192 + 16384 + 16384);
    }

    [Fact]
    public void Live_IterationEndsEarly_WarnsAndDropsWhatItLeftHeld()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(64);
        Iteration(s, x, false);
        // Iteration 1 stops after b = Neg(a): a and b are still held by the plan.
        var a = s.Vector("Relu", [x]);
        s.Vector("Neg", [a]);
        s.Mark();
        Iteration(s, x, false);
        var policy = new StaticLivePolicy(Config);

        var (report, sim) = Run(policy, s);

        policy.Warnings.Should().ContainSingle().Which.Message.Should().Contain("ended after 2 ops");
        // The first op of iteration 2 drops them (written back: still live as far as anyone knows).
        sim.OpRecords[6].AfterOpTransfer.ExternalWriteBytes.Should().Be(2 * 128);
        report.Totals.HoldFailures.Should().Be(0);
        report.Iterations[2].Holds.Should().Be(3);
    }

    [Fact]
    public void Live_NoIterationMark_StaysBaseline()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(64);
        var a = s.Vector("Relu", [x]);
        s.Vector("Neg", [a]);
        var policy = new StaticLivePolicy(Config);

        var (report, _) = Run(policy, s);

        report.Totals.Holds.Should().Be(0);
        policy.Plans.Should().BeEmpty();
        policy.Mode.Should().Be(PlanMode.Live);
    }
}
