using System.Globalization;
using OnSram.Speculation.Events;

namespace OnSram.Speculation.Graphs;

/// <summary>
/// Compares an executed op with the op a plan was made for: op type, attributes, unit, FLOPs, the number,
/// shapes and element types of inputs and outputs. Wiring (which tensor feeds which input) is checked by the
/// plan executor, which knows the current iteration's tensor ids.
/// </summary>
public static class OpSignature
{
    /// <summary>Null when <paramref name="actual"/> matches <paramref name="expected"/>; otherwise what differs.</summary>
    public static string? Mismatch(GraphOp expected, in OpEvent actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var e = expected.Event;
        if (!string.Equals(e.OpType, actual.OpType, StringComparison.Ordinal))
        {
            return $"op type {actual.OpType}, the plan has {e.OpType}";
        }
        if (!string.Equals(e.AttrKey ?? "", actual.AttrKey ?? "", StringComparison.Ordinal))
        {
            return $"{actual.OpType} attributes '{actual.AttrKey}', the plan has '{e.AttrKey}'";
        }
        if (e.Unit != actual.Unit)
        {
            return $"{actual.OpType} on the {actual.Unit} array, the plan has {e.Unit}";
        }
        return Tensors("input", actual.OpType, e.Inputs, actual.Inputs)
               ?? Tensors("output", actual.OpType, e.Outputs, actual.Outputs)
               ?? (e.Flops.Equals(actual.Flops) ? null : $"{actual.OpType} performs {Num(actual.Flops)} FLOPs, the plan has {Num(e.Flops)}");
    }

    /// <summary>Shape as text: <c>[1,8,8,3]</c>.</summary>
    public static string Format(IReadOnlyList<long>? shape) =>
        "[" + string.Join(",", (shape ?? []).Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string? Tensors(string what, string opType, TensorInfo[]? expected, TensorInfo[]? actual)
    {
        expected ??= [];
        actual ??= [];
        if (expected.Length != actual.Length)
        {
            return $"{opType} has {actual.Length} {what}s, the plan has {expected.Length}";
        }
        for (var i = 0; i < expected.Length; i++)
        {
            var a = actual[i];
            var x = expected[i];
            if (!(a.Shape ?? []).AsSpan().SequenceEqual(x.Shape ?? []))
            {
                return $"{opType} {what} {i} has shape {Format(a.Shape)}, the plan has {Format(x.Shape)}";
            }
            if (a.IsFloating != x.IsFloating || a.HostElementBytes != x.HostElementBytes)
            {
                return $"{opType} {what} {i} has another element type than in the plan";
            }
        }
        return null;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
