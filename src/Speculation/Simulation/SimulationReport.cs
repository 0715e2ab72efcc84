using OnSram.Accelerator.Configuration;

namespace OnSram.Speculation.Simulation;

/// <summary>The result of one simulated run (written as JSON by <see cref="OnSram.Speculation.Reports.ReportJson"/>).</summary>
/// <param name="Policy">Policy name [policy].</param>
/// <param name="Config">The configuration the user gave [config].</param>
/// <param name="SimulatedSpmBytes">SPM capacity actually simulated (2^62 for the infinite policy) [simulated_spm_bytes].</param>
/// <param name="Totals">Figures of the whole run (top-level keys).</param>
/// <param name="Iterations">Figures per iteration [iterations].</param>
/// <param name="PeakSpmBytes">Most SPM bytes held at once [peak_spm_bytes].</param>
public sealed record SimulationReport(
    string Policy,
    AcceleratorConfig Config,
    long SimulatedSpmBytes,
    SimFigures Totals,
    IReadOnlyList<SimFigures> Iterations,
    long PeakSpmBytes)
{
    private static readonly IReadOnlyDictionary<string, long> s_none = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>
    /// Index of the first iteration the report covers [iterations_from, written only when above 0]: 0 for a
    /// whole run; see <see cref="FromIteration"/>. The <c>index</c> of <see cref="Iterations"/>[i] is
    /// <c>FirstIteration + i</c>.
    /// </summary>
    public int FirstIteration { get; init; }

    /// <summary>Malformed trace lines skipped by a replay [skipped_lines, written only when above 0]; 0 for a live run.</summary>
    public long SkippedLines { get; init; }

    /// <summary>
    /// Ops of a replayed trace whose type the op registry does not know, by type (simulated from their bytes
    /// on the vector unit) [unknown_ops, an object sorted by name, written only when not empty]; empty for a live run.
    /// </summary>
    public IReadOnlyDictionary<string, long> UnknownOps { get; init; } = s_none;

    /// <summary>
    /// Most SPM bytes held at once during each iteration, parallel to <see cref="Iterations"/> (not written
    /// to the JSON; <see cref="FromIteration"/> uses it). Empty when unknown.
    /// </summary>
    public IReadOnlyList<long> IterationPeakSpmBytes { get; init; } = Array.Empty<long>();

    /// <summary>
    /// The report restricted to iterations <paramref name="first"/> and later of the same run (the run was
    /// simulated whole: earlier iterations warmed the policy and the SPM up). <see cref="Totals"/> become the
    /// sums of those iterations' figures, <see cref="Iterations"/> lists only them (keeping their indices),
    /// <see cref="PeakSpmBytes"/> is the peak during them and <see cref="FirstIteration"/> is
    /// <paramref name="first"/>; policy, configuration, skipped lines and unknown ops (counts of the whole
    /// trace) are unchanged. Figures a policy added (<see cref="PolicyFigures"/>) stay on the iterations kept;
    /// its whole-run figures are dropped, since they cannot be recomputed from part of the run (a ratio such as
    /// a prediction accuracy is not a sum). 0 returns this report.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="first"/> is negative or not below the number of iterations.</exception>
    public SimulationReport FromIteration(int first)
    {
        if (first == FirstIteration)
        {
            return this;
        }
        var skip = first - FirstIteration;
        if (skip < 0 || skip >= Iterations.Count)
        {
            var last = FirstIteration + Iterations.Count - 1;
            throw new ArgumentOutOfRangeException(nameof(first), first, Iterations.Count == 0
                ? "the run has no iteration"
                : $"the run's iterations are {FirstIteration} to {last}");
        }
        var kept = Iterations.Skip(skip).ToArray();
        Counters sum = default;
        foreach (var figures in kept)
        {
            sum.Add(new Counters(figures));
        }
        var peaks = IterationPeakSpmBytes.Count == Iterations.Count ? IterationPeakSpmBytes.Skip(skip).ToArray() : Array.Empty<long>();
        var policy = PolicyFigures is null ? null : new OnSram.Speculation.Policies.PolicyFigures(
            Array.Empty<KeyValuePair<string, double>>(),
            PolicyFigures.Iterations.Skip(skip).ToArray());
        return this with
        {
            PolicyFigures = policy,
            Totals = sum.ToFigures(),
            Iterations = kept,
            PeakSpmBytes = peaks.Length > 0 ? peaks.Max() : PeakSpmBytes,
            IterationPeakSpmBytes = peaks,
            FirstIteration = first,
        };
    }

    /// <summary>Figures the policy added (<see cref="OnSram.Speculation.Policies.IRunCompletion"/>), written after the
    /// simulator's keys (e.g. the eager policy's <c>prediction_accuracy</c>); null when it added none.</summary>
    public OnSram.Speculation.Policies.PolicyFigures? PolicyFigures { get; init; }
}
