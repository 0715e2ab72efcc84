namespace OnSram.Runtime;

/// <summary>
/// Receives everything the dispatch point sees: each executed op, each tensor release (when the last
/// handle of an id goes) and each mark. Observers are called in program order on the script's thread.
/// One that throws is isolated: the failure is reported once and the script goes on.
/// </summary>
public interface IEagerObserver
{
    /// <summary>An op executed (views are not reported).</summary>
    void OnOp(in OpExecution op);

    /// <summary>The last handle of a tensor id was released.</summary>
    void OnRelease(in TensorDescriptor tensor);

    /// <summary>A mark was placed (label <c>iteration</c> closes one iteration).</summary>
    void OnMark(string label);
}
