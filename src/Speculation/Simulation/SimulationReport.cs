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
    /// <summary>Figures the policy added (<see cref="OnSram.Speculation.Policies.IRunCompletion"/>), written after the
    /// simulator's keys (e.g. the eager policy's <c>prediction_accuracy</c>); null when it added none.</summary>
    public OnSram.Speculation.Policies.PolicyFigures? PolicyFigures { get; init; }
}
