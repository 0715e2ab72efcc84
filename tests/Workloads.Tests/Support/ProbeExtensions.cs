namespace OnSram.Workloads.Tests.Support;

public static class ProbeExtensions
{
    /// <summary>Output shapes ([a,b,...] text) of the ops of one type, in execution order.</summary>
    public static string[] OutputShapes(this ProbeResult r, string opType) =>
        r.Events.Where(e => e.Kind == "op" && e.OpType == opType).Select(e => e.Op!.Value.Outputs[0].Shape.ToCompactString()).ToArray();

    /// <summary>Input shapes (of input <paramref name="index"/>) of the ops of one type, in execution order.</summary>
    public static string[] InputShapes(this ProbeResult r, string opType, int index = 0) =>
        r.Events.Where(e => e.Kind == "op" && e.OpType == opType).Select(e => e.Op!.Value.Inputs[index].Shape.ToCompactString()).ToArray();

    /// <summary>The fused_ops attribute of each _FusedConv2D / _FusedMatMul, joined by '+'.</summary>
    public static string[] FusedOps(this ProbeResult r, string opType) =>
        r.Events.Where(e => e.Kind == "op" && e.OpType == opType)
            .Select(e => e.Op!.Value.Attrs.TryGet("fused_ops", out var v) ? string.Join("+", (string[])v) : "").ToArray();
}
