using OnSram.Accelerator.Configuration;
using OnSram.Runtime.Simulation;
using OnSram.Speculation.Policies.Lru;

namespace OnSram.Runtime.Tests.Simulation;

public sealed class SimulationSessionTests
{
    private static EagerContext NewContext() => new(EagerOptions.Default, SimulationScript.Registry);

    [Fact]
    public void Attach_ByName_SimulatesEveryOpOfTheContext()
    {
        var context = NewContext();
        using var sim = SimulationSession.Attach(context, "infinite", AcceleratorPresets.Edge, new SimulationSessionOptions(RecordOps: true));
        SimulationScript.Run(context);
        var report = sim.Report();
        report.Policy.Should().Be("infinite");
        report.Config.Should().BeSameAs(AcceleratorPresets.Edge);
        report.Totals.Ops.Should().Be(6);
        report.Iterations.Should().HaveCount(2);
        sim.Simulator.OpRecords.Select(r => r.OpType).Should().Equal("TestDouble", "TestDouble", "TestAdd", "TestDouble", "TestDouble", "TestAdd");
    }

    [Fact]
    public void Report_ThenMoreOps_IgnoresThem()
    {
        var context = NewContext();
        using var sim = SimulationSession.Attach(context, new LruPolicy());
        SimulationScript.Run(context);
        var first = sim.Report();
        SimulationScript.Run(context);
        sim.Report().Should().BeSameAs(first);
        context.ObserverFailures.Should().BeEmpty();
    }

    [Fact]
    public void Dispose_Detaches()
    {
        var context = NewContext();
        var sim = SimulationSession.Attach(context, "baseline");
        sim.Dispose();
        SimulationScript.Run(context);
        sim.Report().Totals.Ops.Should().Be(0);
    }

    [Fact]
    public void Attach_UnknownPolicy_ListsTheAllowedNames()
    {
        FluentActions.Invoking(() => SimulationSession.Attach(NewContext(), "bogus"))
            .Should().Throw<ArgumentException>().WithMessage("*'bogus'*baseline*infinite*lru*");
    }

    [Fact]
    public void Open_FedThroughItsSink_SimulatesLikeAnAttachedSession()
    {
        var context = NewContext();
        var forwarded = new ForwardingObserver();
        using var attached = SimulationSession.Attach(context, "lru");
        using var detached = SimulationSession.Open("lru");
        forwarded.Target = detached.Sink;
        using (context.Attach(forwarded))
        {
            SimulationScript.Run(context);
        }

        detached.Context.Should().BeNull();
        attached.Context.Should().BeSameAs(context);
        var report = detached.Report();
        report.Totals.Ops.Should().Be(6);
        OnSram.Speculation.Reports.ReportJson.ToJson(report).Should().Be(OnSram.Speculation.Reports.ReportJson.ToJson(attached.Report()));
        detached.Sink.OnRelease(12345);
        detached.Report().Should().BeSameAs(report, "events after the run finished are ignored");
    }

    /// <summary>Turns the context's dispatch stream into simulator events for a sink (what a trace recording and replay do).</summary>
    private sealed class ForwardingObserver : IEagerObserver
    {
        public OnSram.Speculation.Events.IEventSink? Target { get; set; }

        public void OnOp(in OpExecution op)
        {
            var e = op.ToOpEvent();
            Target!.OnOp(in e);
        }

        public void OnRelease(in TensorDescriptor tensor) => Target!.OnRelease(tensor.Id);

        public void OnMark(string label) => Target!.OnMark(label);
    }
}
