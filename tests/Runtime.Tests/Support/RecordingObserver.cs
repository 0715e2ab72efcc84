using OnSram.Runtime;

namespace OnSram.Runtime.Tests.Support;

/// <summary>Records every event the dispatch point reports, as text lines and as raw values.</summary>
public sealed class RecordingObserver : IEagerObserver
{
    public List<string> Lines { get; } = new();
    public List<OpExecution> Ops { get; } = new();
    public List<TensorDescriptor> Releases { get; } = new();

    public void OnOp(in OpExecution op)
    {
        Ops.Add(op);
        Lines.Add($"op {op.OpType} in=[{string.Join(",", op.Inputs.Select(i => i.Id))}] out=[{string.Join(",", op.Outputs.Select(o => o.Id))}]");
    }

    public void OnRelease(in TensorDescriptor tensor)
    {
        Releases.Add(tensor);
        Lines.Add($"free {tensor.Id}");
    }

    public void OnMark(string label) => Lines.Add($"mark {label}");
}

/// <summary>An observer that throws on every call.</summary>
public sealed class ThrowingObserver : IEagerObserver
{
    public int Calls { get; private set; }

    public void OnOp(in OpExecution op)
    {
        Calls++;
        throw new InvalidOperationException("boom");
    }

    public void OnRelease(in TensorDescriptor tensor)
    {
        Calls++;
        throw new InvalidOperationException("boom");
    }

    public void OnMark(string label)
    {
        Calls++;
        throw new InvalidOperationException("boom");
    }
}
