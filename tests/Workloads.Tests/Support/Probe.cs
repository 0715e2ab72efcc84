using OnSram.Runtime;

namespace OnSram.Workloads.Tests.Support;

/// <summary>What one meta-mode forward pass of a network reported.</summary>
public sealed record ProbeResult(
    Shape OutputShape,
    long Parameters,
    long TrainableParameters,
    IReadOnlyDictionary<string, int> OpCounts,
    IReadOnlyList<RecordedEvent> Events)
{
    public int TotalOps => OpCounts.Values.Sum();

    public int Count(string opType) => OpCounts.TryGetValue(opType, out var n) ? n : 0;
}

public static class Probe
{
    /// <summary>Builds <paramref name="name"/> in a fresh meta context and runs one forward pass.</summary>
    public static ProbeResult Network(string name, int seed = 0)
    {
        using var scope = Contexts.Meta();
        using var network = Networks.Get(name).Create(seed);
        var input = network.CreateInput();
        var output = network.Forward(input);
        var result = new ProbeResult(output.shape, network.ParameterCount, network.TrainableParameterCount,
            scope.Recorder.CountByType(), scope.Recorder.Events.ToArray());
        output.Dispose();
        input.Dispose();
        return result;
    }
}

/// <summary>Parameter arithmetic of the layer kinds, written independently of the layer code.</summary>
public static class Params
{
    /// <summary>Kh*Kw*(Cin/groups)*Cout (+ Cout with bias).</summary>
    public static long Conv(long cin, long cout, long kh, long kw, bool bias = true, long groups = 1) =>
        kh * kw * (cin / groups) * cout + (bias ? cout : 0);

    public static long Conv(long cin, long cout, long k, bool bias = true, long groups = 1) => Conv(cin, cout, k, k, bias, groups);

    /// <summary>Keras's total per batch norm: gamma (if scale) + beta + moving mean + moving variance.</summary>
    public static long BatchNorm(long c, bool scale = true) => (scale ? 4 : 3) * c;

    public static long Dense(long inputs, long units, bool bias = true) => inputs * units + (bias ? units : 0);

    public static long Lstm(long inputs, long units) => 4 * units * (inputs + units) + 4 * units;
}
