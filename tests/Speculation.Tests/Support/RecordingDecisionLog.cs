using OnSram.Speculation.Logging;
using OnSram.Speculation.Simulation;

namespace OnSram.Speculation.Tests.Support;

/// <summary>Keeps every decision the simulator logs (and the policy's predictions and outcomes).</summary>
public sealed class RecordingDecisionLog : ISpeculationLog
{
    public List<DecisionEntry> Decisions { get; } = new();

    public List<PredictionEntry> Predictions { get; } = new();

    public List<OutcomeEntry> Outcomes { get; } = new();

    public List<DisagreementEntry> Disagreements { get; } = new();

    public SimulationReport? Report { get; private set; }

    public void Decision(in DecisionEntry entry) => Decisions.Add(entry);

    public void Summary(SimulationReport report) => Report = report;

    public void Prediction(in PredictionEntry prediction) => Predictions.Add(prediction);

    public void Outcome(in OutcomeEntry outcome) => Outcomes.Add(outcome);

    public void Disagreement(in DisagreementEntry disagreement) => Disagreements.Add(disagreement);

    /// <summary>The hold/discard/hold-failed decision about <paramref name="tensorId"/>.</summary>
    public DecisionEntry Choice(long tensorId) => Decisions.Single(d =>
        d.TensorId == tensorId && d.Kind is DecisionKind.Hold or DecisionKind.Discard or DecisionKind.HoldFailed);
}
