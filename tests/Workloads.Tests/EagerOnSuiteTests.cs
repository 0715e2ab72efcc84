using System.Globalization;
using OnSram.Accelerator.Configuration;
using OnSram.Runtime;
using OnSram.Runtime.Simulation;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Policies.Eager;
using OnSram.Speculation.Simulation;
using Xunit.Abstractions;

namespace OnSram.Workloads.Tests;

/// <summary>
/// The OnSRAM-Eager acceptance bar on the suite's ResNet-50 and MobileNetV1 (meta mode, paper preset, five
/// iterations): from iteration 2 on, eager is within 10% of the oracle and at least 10% faster than the baseline and
/// LRU. The per-iteration latencies are printed (<c>--logger "console;verbosity=detailed"</c>) and recorded in
/// <c>docs/results.md</c>, "OnSRAM-Eager on the suite networks".
/// </summary>
public sealed class EagerOnSuiteTests(ITestOutputHelper output)
{
    private const int Iterations = 5;

    private SimulationReport Run(string network, string policy)
    {
        var config = AcceleratorPresets.Paper;
        // Eager without ONSRAM_HISTORY: a cold start whatever the environment says.
        var p = policy == "eager" ? new OnSramEagerPolicy(config, new Speculation.Policies.Eager.EagerOptions()) : PolicyRegistry.Default.Create(policy, config);
        var context = new EagerContext(Runtime.EagerOptions.Meta);
        using var session = SimulationSession.Attach(context, p, config);
        using (context.Activate())
        {
            Networks.Get(network).Run(Iterations);
        }
        var report = session.Report();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{network,-13} {policy,-9} {string.Join(" ", report.Iterations.Select(i => (i.LatencySeconds * 1e3).ToString("0.000", CultureInfo.InvariantCulture)))} ms"));
        return report;
    }

    [Theory]
    [InlineData("resnet50")]
    [InlineData("mobilenet_v1")]
    public void Eager_FromIterationTwo_WithinTenPercentOfOracleAndClearlyBelowBaselineAndLru(string network)
    {
        var eager = Run(network, "eager");
        var oracle = Run(network, "oracle");
        var baseline = Run(network, "baseline");
        var lru = Run(network, "lru");
        Run(network, "static");
        Run(network, "infinite");

        eager.Iterations.Should().HaveCount(Iterations);
        for (var i = 1; i < Iterations; i++)
        {
            var it = eager.Iterations[i].LatencySeconds;
            it.Should().BeLessThanOrEqualTo(1.10 * oracle.Iterations[i].LatencySeconds, $"iteration {i + 1}");
            it.Should().BeLessThanOrEqualTo(0.9 * baseline.Iterations[i].LatencySeconds, $"iteration {i + 1}");
            it.Should().BeLessThanOrEqualTo(0.9 * lru.Iterations[i].LatencySeconds, $"iteration {i + 1}");
            eager.Iterations[i].LateWriteBacks.Should().Be(0, $"iteration {i + 1}: no speculative release was wrong");
        }
    }
}
