using OnSram.Accelerator.Configuration;
using OnSram.Runtime.Ops;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Policies.Eager;
using OnSram.Speculation.Simulation;
using OnSram.Workloads;

namespace OnSram.Cli.Bench;

/// <summary>
/// Runs a <see cref="BenchPlan"/>: records each network once in meta mode, then simulates every
/// (network, policy) pair on that recording, in parallel over the cores. Results do not depend on the
/// degree of parallelism or on scheduling: every simulation is a pure function of its stream, policy
/// and configuration, and rows are put in plan order.
/// </summary>
public static class BenchRunner
{
    /// <summary>Runs the plan; <paramref name="progress"/> (if any) hears of every finished step, from any thread.</summary>
    public static BenchResult Run(BenchPlan plan, Action<BenchProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Policies.Count == 0 || plan.Policies[0] != PolicyOrder.Baseline)
        {
            throw new ArgumentException("the first policy of a bench must be the baseline", nameof(plan));
        }
        var networks = plan.Networks;
        var policies = plan.Policies;
        var total = networks.Count + networks.Count * policies.Count;
        var done = 0;
        void Step(string what) => progress?.Invoke(new BenchProgress(Interlocked.Increment(ref done), total, what));

        var runs = Record(networks, plan.Iterations, plan.OpRegistry, plan.MaxParallelism, Step);
        var figures = new SimFigures[networks.Count, policies.Count];
        ForEach(networks.Count * policies.Count, plan.MaxParallelism, k =>
        {
            var (n, p) = (k / policies.Count, k % policies.Count);
            figures[n, p] = Simulate(runs[n], policies[p], plan.Config, plan.Registry);
            Step($"{networks[n].Name} / {policies[p]}");
        });

        var rows = new List<BenchRow>(networks.Count * policies.Count);
        for (var n = 0; n < networks.Count; n++)
        {
            var baseline = figures[n, 0];
            for (var p = 0; p < policies.Count; p++)
            {
                var f = figures[n, p];
                rows.Add(new BenchRow(networks[n].Name, policies[p], f, Ratio(baseline.LatencySeconds, f.LatencySeconds),
                    Ratio(baseline.EnergyJoules, f.EnergyJoules)));
            }
        }
        return new BenchResult(plan.Config, plan.Iterations, networks.Select(n => n.Name).ToArray(), policies.ToArray(), rows);
    }

    /// <summary>Records every network (in parallel); the result is in <paramref name="networks"/> order.</summary>
    internal static RecordedRun[] Record(IReadOnlyList<NetworkSpec> networks, int iterations, OpRegistry? registry, int parallelism,
        Action<string>? step = null)
    {
        var runs = new RecordedRun[networks.Count];
        ForEach(networks.Count, parallelism, n =>
        {
            runs[n] = RecordedRun.Record(networks[n], iterations, registry);
            step?.Invoke($"recorded {networks[n].Name}");
        });
        return runs;
    }

    /// <summary>
    /// Simulates <paramref name="run"/> under <paramref name="policy"/> on <paramref name="config"/> and returns
    /// the steady-state figures: those of the last iteration.
    /// </summary>
    public static SimFigures Simulate(RecordedRun run, string policy, AcceleratorConfig config, PolicyRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var simulator = new Simulator(CreatePolicy(policy, config, registry), config);
        run.Replay(simulator);
        var report = simulator.Report();
        return report.Iterations.Count > 0 ? report.Iterations[^1] : report.Totals;
    }

    /// <summary>
    /// The policy of one bench cell. The bench runs on built-in defaults: eager starts cold (no
    /// <c>ONSRAM_HISTORY</c>, which parallel cells would all load and overwrite) and skips its accuracy probe,
    /// which the bench does not report.
    /// </summary>
    internal static ISpmPolicy CreatePolicy(string policy, AcceleratorConfig config, PolicyRegistry? registry = null) =>
        policy == "eager" && (registry is null || ReferenceEquals(registry, PolicyRegistry.Default))
            ? new OnSramEagerPolicy(config, EagerOptions.Default with { ComputeAccuracy = false })
            : (registry ?? PolicyRegistry.Default).Create(policy, config);

    /// <summary>a / b, or 1 when both are zero (an empty network gains nothing).</summary>
    internal static double Ratio(double reference, double value) => value == 0 && reference == 0 ? 1 : reference / value;

    /// <summary>Runs body(0..count-1) on up to <paramref name="parallelism"/> threads; rethrows the first failure.</summary>
    internal static void ForEach(int count, int parallelism, Action<int> body)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) };
        try
        {
            Parallel.For(0, count, options, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
