using OnSram.Speculation.Events;

namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: the policy sees the whole run before it is simulated (oracles, graph planners). The
/// simulator then buffers every event and simulates only when the run is finished
/// (<c>Simulator.Finish</c>): <see cref="Preview"/> is called once with the buffered events, then the
/// events are replayed and the policy is asked as usual. Op indices in the preview
/// (<see cref="SimEvent.OpIndex"/>) are the <see cref="HoldRequest.OpIndex"/> of the replay; tensor ids
/// are those of the events. Because the simulator then knows the future too, a held tensor that no op
/// reads again is dead: evicting or dropping it costs no write-back (see <c>docs/simulator.md</c>).
/// </summary>
public interface IStreamPreview
{
    /// <summary>Receives the whole event stream, in order. The list and its arrays must not be mutated.</summary>
    void Preview(IReadOnlyList<SimEvent> events);
}
