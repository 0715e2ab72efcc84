using System.Text.Json;
using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Logging;
using OnSram.Speculation.Policies.Lru;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;
using Serilog.Core;
using Serilog.Events;

namespace OnSram.Speculation.Tests.Logging;

public sealed class DecisionLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onsram-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SimulationReport Run(IDecisionLog? log)
    {
        var config = AcceleratorPresets.Paper with { SpmBytes = 2048, StreamBufferBytes = 0 };
        var sim = new Simulator(new LruPolicy(), config, new SimulatorOptions(DecisionLog: log));
        sim.OnOp(Ev.Vector("Relu", 512, [Ev.T(1, 512)], Ev.T(10, 512)));
        sim.OnOp(Ev.Vector("Relu", 512, [Ev.T(10, 512)], Ev.T(11, 512)));
        sim.OnOp(Ev.Vector("Relu", 512, [Ev.T(11, 512)], Ev.T(12, 512)));
        sim.OnRelease(12);
        return sim.Report();
    }

    [Fact]
    public void OpenFile_Run_WritesOneJsonLinePerDecisionAndASummary()
    {
        var path = Path.Combine(_dir, "log.jsonl");
        var errors = new List<string>();
        using (var log = SerilogDecisionLog.OpenFile(path, errors.Add))
        {
            Run(log);
        }
        errors.Should().BeEmpty();
        var lines = File.ReadAllLines(path);
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        events.Select(e => e.TryGetProperty("decision", out var d) ? d.GetString() : "summary")
            .Should().Equal("hold", "hold", "evict", "hold", "write_back_result", "summary");
        var evict = events[2];
        evict.GetProperty("level").GetString().Should().Be("Debug");
        evict.GetProperty("tensor_id").GetInt64().Should().Be(10);
        evict.GetProperty("bytes").GetInt64().Should().Be(1024);
        evict.GetProperty("op_index").GetInt32().Should().Be(2);
        evict.GetProperty("op_type").GetString().Should().Be("Relu");
        evict.GetProperty("reason").GetString().Should().Be("evicted for room");
        evict.GetProperty("free_spm_bytes").GetInt64().Should().Be(1024);
        evict.GetProperty("written_back").GetBoolean().Should().BeTrue();
        evict.GetProperty("iteration").GetInt32().Should().Be(0);
        var summary = events[^1];
        summary.GetProperty("level").GetString().Should().Be("Information");
        summary.GetProperty("policy").GetString().Should().Be("lru");
        summary.GetProperty("ops").GetInt64().Should().Be(3);
        lines.Should().OnlyContain(l => !l.Contains("Timestamp"));
    }

    [Fact]
    public void OpenFile_UnwritablePath_ReportsOnceAndTheSimulationRuns()
    {
        var blocker = Path.Combine(_dir, "file");
        File.WriteAllText(blocker, "");
        var errors = new List<string>();
        var log = SerilogDecisionLog.OpenFile(Path.Combine(blocker, "log.jsonl"), errors.Add);
        log.Should().BeNull();
        errors.Should().ContainSingle().Which.Should().Contain("cannot be written").And.Contain("goes on");
        Run(log).Should().BeEquivalentTo(Run(null));
    }

    [Fact]
    public void FromSink_SinkThrows_IsReportedOnceAndTheFiguresAreUnchanged()
    {
        var errors = new List<string>();
        var sink = new ThrowingSink();
        using var log = SerilogDecisionLog.FromSink(sink, "'test'", errors.Add);
        var report = Run(log);
        sink.Calls.Should().Be(1, "the sink is switched off after its first failure");
        errors.Should().ContainSingle().Which.Should().Contain("'test' failed").And.Contain("disk full");
        report.Totals.Should().Be(Run(null).Totals);
    }

    [Fact]
    public void Simulator_DecisionLogThrows_FinishesTheRun()
    {
        Run(new ThrowingLog()).Totals.Should().Be(Run(null).Totals);
    }

    private sealed class ThrowingSink : ILogEventSink
    {
        public int Calls { get; private set; }

        public void Emit(LogEvent logEvent)
        {
            Calls++;
            throw new IOException("disk full");
        }
    }

    private sealed class ThrowingLog : IDecisionLog
    {
        public void Decision(in DecisionEntry entry) => throw new IOException("disk full");

        public void Summary(SimulationReport report) => throw new IOException("disk full");
    }
}
