namespace OnSram.Speculation.Events;

/// <summary>
/// Receives the event stream of a run: executed ops, tensor releases and marks, in program order.
/// The simulator implements it; the runtime's dispatch hook and the trace reader feed it.
/// </summary>
public interface IEventSink
{
    /// <summary>An op executed.</summary>
    void OnOp(in OpEvent op);

    /// <summary>The last handle of tensor <paramref name="tensorId"/> was released.</summary>
    void OnRelease(long tensorId);

    /// <summary>A program mark; the label <c>iteration</c> closes one iteration.</summary>
    void OnMark(string label);
}
