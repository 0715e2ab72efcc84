using System.Text.Json;
using OnSram.Accelerator.Configuration;
using OnSram.Runtime.Simulation;
using OnSram.Speculation.Policies.Eager;
using OnSram.Speculation.Policies.Lru;

namespace OnSram.Runtime.Tests.Simulation;

public sealed class SimulationSessionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "onsram-session-" + Guid.NewGuid().ToString("N"));

    public SimulationSessionTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EagerContext NewContext() => new(EagerOptions.Default, SimulationScript.Registry);

    /// <summary>Runs the two-iteration script under <paramref name="policy"/> with a log; returns its lines.</summary>
    private List<JsonElement> RunLogged(Speculation.Policies.ISpmPolicy policy, out string errors)
    {
        var path = Path.Combine(_dir, policy.Name + ".jsonl");
        var err = new StringWriter();
        var context = NewContext();
        using (var sim = SimulationSession.Attach(context, policy, AcceleratorPresets.Edge, new SimulationSessionOptions(LogPath: path, Errors: err)))
        {
            SimulationScript.Run(context);
            sim.Complete();
        }
        errors = err.ToString();
        return File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static string Event(JsonElement e) => e.GetProperty("event").GetString()!;

    private static bool Has(JsonElement e, string key) => e.TryGetProperty(key, out _);

    [Fact]
    public void Log_Eager_CarriesPredictionsOutcomesAndPerIterationAccuracy()
    {
        var lines = RunLogged(new OnSramEagerPolicy(AcceleratorPresets.Edge, new Speculation.Policies.Eager.EagerOptions()), out var errors);

        errors.Should().NotContain("speculation log");
        var choices = lines.Where(l => Event(l) == "decision" && l.GetProperty("decision").GetString() is "hold" or "discard").ToList();
        choices.Should().HaveCount(6, "three ops per iteration, one output each");
        choices.Should().OnlyContain(l => l.GetProperty("signature").GetString()!.Length == 16 && Has(l, "predicted_reads"));
        choices.Select(l => l.GetProperty("known").GetBoolean()).Should().Equal(false, false, false, true, true, true);
        lines.Count(l => Event(l) == "outcome").Should().Be(6);
        lines.Where(l => Event(l) == "iteration").Select(l => l.GetProperty("iteration").GetInt32()).Should().Equal(0, 1);
        lines.Where(l => Event(l) == "iteration").Should().OnlyContain(l => Has(l, "prediction_accuracy"));
        var run = lines[^1];
        (Event(run), run.GetProperty("policy").GetString(), run.GetProperty("ops").GetInt64()).Should().Be(("run", "eager", 6L));
    }

    [Fact]
    public void Log_Lru_DecisionsWithoutPredictionsAndTheSummaries()
    {
        var lines = RunLogged(new LruPolicy(), out _);

        var decisions = lines.Where(l => Event(l) == "decision").ToList();
        decisions.Count(l => l.GetProperty("decision").GetString() == "hold").Should().Be(6);
        decisions.Should().OnlyContain(l => !Has(l, "signature"));
        lines.Should().NotContain(l => Event(l) == "outcome");
        lines.Count(l => Event(l) == "iteration").Should().Be(2);
        (Event(lines[^1]), lines[^1].GetProperty("policy").GetString()).Should().Be(("run", "lru"));
    }

    [Fact]
    public void Log_UnwritablePath_ReportedOnceAndTheEagerRunGoesOn()
    {
        var blocker = Path.Combine(_dir, "file");
        File.WriteAllText(blocker, "");
        var errors = new StringWriter();
        var context = NewContext();
        using var sim = SimulationSession.Attach(context, new OnSramEagerPolicy(AcceleratorPresets.Edge, new Speculation.Policies.Eager.EagerOptions()),
            AcceleratorPresets.Edge, new SimulationSessionOptions(LogPath: Path.Combine(blocker, "log.jsonl"), Errors: errors));

        SimulationScript.Run(context);
        sim.Complete();

        errors.ToString().Split('\n').Count(l => l.Contains("speculation log")).Should().Be(1);
        sim.Report().Totals.Ops.Should().Be(6);
        context.ObserverFailures.Should().BeEmpty();
    }

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
