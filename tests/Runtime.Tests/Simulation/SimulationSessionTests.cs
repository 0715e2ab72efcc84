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
}
