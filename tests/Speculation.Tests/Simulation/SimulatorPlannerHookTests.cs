using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Logging;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Policies.Static;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Simulation;

/// <summary>The simulator's hooks for graph planners: reserved holds, hand-over, liveness hints, op adjustments.</summary>
public sealed class SimulatorPlannerHookTests
{
    private static readonly AcceleratorConfig Config = new(SpmBytes: 1 << 20, StreamBufferBytes: 0);

    private sealed class Scripted(Func<HoldRequest, HoldDecision> decide) : ISpmPolicy, IOpAdjustment, IPostOpPolicy
    {
        public string Name => "scripted";

        public Func<int, OpAdjustment> Extra { get; init; } = _ => OpAdjustment.None;

        public Action<OpChargedFeedback, ISpmControl> After { get; init; } = (_, _) => { };

        public HoldDecision Decide(in HoldRequest request) => decide(request);

        public OpAdjustment Adjust(int opIndex, in OpEvent op) => Extra(opIndex);

        public void AfterOp(in OpChargedFeedback op, ISpmControl control) => After(op, control);
    }

    private sealed class Previewing(Func<HoldRequest, HoldDecision> decide) : ISpmPolicy, IStreamPreview
    {
        public string Name => "previewing";

        public HoldDecision Decide(in HoldRequest request) => decide(request);

        public void Preview(IReadOnlyList<SimEvent> events)
        {
        }
    }

    [Fact]
    public void ReservedHold_TakesOnlyTheReservedBlockAndServesHits()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(4096);
        var a = s.Vector("Relu", [x]);
        s.Vector("Neg", [a]);
        var sim = new Simulator(new Scripted(r => r.OpIndex == 0 ? HoldDecision.HoldReserved(1000, "tiles") : HoldDecision.Discard("no")), Config);

        s.Feed(sim);
        var report = sim.Report();

        report.PeakSpmBytes.Should().Be(1024); // 1000 rounded up to the 64-byte alignment, not 8192
        report.Totals.SpmHits.Should().Be(1);
        report.Totals.Holds.Should().Be(1);
    }

    [Fact]
    public void HandOver_DeadHeldInput_GivesItsSpaceWithoutWriteBack()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(32);
        var a = s.Vector("Relu", [x]);
        var b = s.Vector("Neg", [a]);
        s.Vector("Abs", [b]);
        // 64-byte SPM: a and b cannot both be held; b takes a's block.
        var config = new AcceleratorConfig(SpmBytes: 64, StreamBufferBytes: 0);
        var policy = new Previewing(r => r.OpIndex switch
        {
            0 => HoldDecision.Hold("a"),
            1 => HoldDecision.HoldInPlaceOf(a.Id, "b in a's space"),
            _ => HoldDecision.Discard("result"),
        });
        var sim = new Simulator(policy, config);

        s.Feed(sim);
        var t = sim.Report().Totals;

        t.Holds.Should().Be(2);
        t.HoldFailures.Should().Be(0);
        t.Drops.Should().Be(1);
        t.WriteBacks.Should().Be(1); // only the result
        t.SpmHits.Should().Be(2);
    }

    [Fact]
    public void HandOver_LiveInput_IsIgnored()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(32);
        var a = s.Vector("Relu", [x]);
        var b = s.Vector("Neg", [a]);
        s.Vector("AddV2", [b, a]);
        var config = new AcceleratorConfig(SpmBytes: 64, StreamBufferBytes: 0);
        var policy = new Previewing(r => r.OpIndex switch
        {
            0 => HoldDecision.Hold("a"),
            1 => HoldDecision.HoldInPlaceOf(a.Id, "a is read again at op 2"),
            _ => HoldDecision.Discard("result"),
        });
        var sim = new Simulator(policy, config);

        s.Feed(sim);
        var t = sim.Report().Totals;

        t.Drops.Should().Be(0);
        t.HoldFailures.Should().Be(1);
    }

    [Fact]
    public void Adjustment_ExtraFlopsAndReads_AreCharged_NegativeThrows()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(32);
        s.Vector("Relu", [x]);
        var plain = new Simulator(new Scripted(_ => HoldDecision.Discard("no")), Config);
        var adjusted = new Simulator(new Scripted(_ => HoldDecision.Discard("no")) { Extra = _ => new OpAdjustment(100, 640) }, Config);

        s.Feed(plain);
        s.Feed(adjusted);

        adjusted.Report().Totals.Flops.Should().Be(plain.Report().Totals.Flops + 100);
        adjusted.Report().Totals.DramBytesRead.Should().Be(plain.Report().Totals.DramBytesRead + 640);
        var bad = new Simulator(new Scripted(_ => HoldDecision.Discard("no")) { Extra = _ => new OpAdjustment(-1, 0) }, Config);
        var act = () => s.Feed(bad);
        act.Should().Throw<InvalidOperationException>().WithMessage("*extra work*");
    }

    [Fact]
    public void WrongLivenessHint_ReadAgainLater_ChargesTheWriteBackThen()
    {
        // Each iteration: a = Relu(x); b = Neg(a); c = AddV2(b, y) where y is, from iteration 3 on, the b of the
        // iteration before. The captured graph calls b dead after op 2, but iteration 3 reads iteration 2's b.
        var s = new StreamBuilder();
        var x = s.Tensor(64);
        var y = s.Tensor(64);
        TensorInfo carried = y;
        for (var i = 0; i < 3; i++)
        {
            var a = s.Vector("Relu", [x]);
            var b = s.Vector("Neg", [a]);
            s.Vector("AddV2", [b, i == 2 ? carried : y]);
            carried = b;
            s.Mark();
        }
        var live = new Simulator(new StaticLivePolicy(Config), Config);
        var preview = new Simulator(new StaticPolicy(Config), Config);

        s.Feed(live);
        s.Feed(preview);
        var l = live.Report();
        var p = preview.Report();

        // The preview knows b is read again: it writes b back when dropping it. The live run dropped it as dead
        // and pays the same write-back when iteration 3 reads it: same traffic, a miss in both.
        l.Iterations[1].WriteBacks.Should().Be(p.Iterations[1].WriteBacks - 1);
        l.Iterations[2].WriteBacks.Should().Be(p.Iterations[2].WriteBacks + 1);
        (l.Iterations[1].DramBytesWritten + l.Iterations[2].DramBytesWritten)
            .Should().Be(p.Iterations[1].DramBytesWritten + p.Iterations[2].DramBytesWritten);
        l.Iterations[2].SpmMisses.Should().Be(1);
        p.Iterations[2].SpmMisses.Should().Be(1);
        (l.Iterations[2].LateWriteBacks, l.Totals.LateWriteBacks, p.Totals.LateWriteBacks).Should().Be((1L, 1L, 0L));
    }

    /// <summary>Holds every output, drops every held tensor after every op but the first, calls every tensor dead.</summary>
    private sealed class CallsEverythingDead : ISpmPolicy, IPostOpPolicy, ILivenessHint, ISpmFeedback
    {
        public string Name => "dead";

        public List<ReleaseFeedback> Releases { get; } = new();

        public void OnReleased(in ReleaseFeedback release) => Releases.Add(release);

        public HoldDecision Decide(in HoldRequest request) => HoldDecision.Hold("all");

        public void AfterOp(in OpChargedFeedback op, ISpmControl control)
        {
            while (op.OpIndex > 0 && control.HeldCount > 0)
            {
                control.Drop(control.GetHeld(0).TensorId, "dead, says the hint");
            }
        }

        public bool IsDead(long tensorId, int opIndex) => true;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WrongLivenessHint_ResultNeverRead_ChargesTheWriteBackAtReleaseOrEnd(bool released)
    {
        // a = Relu(x) is read by b = Neg(a); b is never read (a result). Both are dropped as dead after op 1: a
        // rightly (no write-back), b wrongly: its write-back is charged late, when it is released or at the end.
        var s = new StreamBuilder();
        var x = s.Tensor(4096);
        var a = s.Vector("Relu", [x]);
        var b = s.Vector("Neg", [a]);
        var log = new RecordingDecisionLog();
        var sim = new Simulator(new CallsEverythingDead(), Config, new SimulatorOptions(DecisionLog: log));
        s.Feed(sim);
        if (released)
        {
            sim.OnRelease(a.Id);
            sim.OnRelease(b.Id);
        }
        var t = sim.Report().Totals;

        (t.Drops, t.WriteBacks, t.LateWriteBacks, t.SpmHits).Should().Be((2L, 1L, 1L, 1L));
        t.DramBytesWritten.Should().Be(8192, "b's 4096 FP16 elements, once");
        log.Decisions.Where(d => d.Kind == DecisionKind.LateWriteBack).Select(d => d.TensorId).Should().Equal(b.Id);
    }

    [Fact]
    public void WrongLivenessHint_ResultReleased_ReleaseFeedbackSaysItWasWrittenBack()
    {
        // As above: b, dropped as dead but never read, is written back (late) by its release.
        var s = new StreamBuilder();
        var x = s.Tensor(4096);
        var a = s.Vector("Relu", [x]);
        var b = s.Vector("Neg", [a]);
        var policy = new CallsEverythingDead();
        var sim = new Simulator(policy, Config);
        s.Feed(sim);
        sim.OnRelease(a.Id);
        sim.OnRelease(b.Id);
        sim.Report();

        policy.Releases.Select(r => (r.TensorId, r.WasHeld, r.WrittenBack)).Should().Equal((a.Id, false, false), (b.Id, false, true));
    }
}
