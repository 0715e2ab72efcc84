using OnSram.Workloads.Models;

namespace OnSram.Workloads;

/// <summary>
/// The evaluation suite: the twelve networks of the OnSRAM evaluation at batch 1, then the fused
/// variants of the CNNs (<c>_fused</c> suffix).
/// </summary>
public static class Networks
{
    private static readonly NetworkSpec[] s_base =
    {
        AlexNet.Spec(false), Vgg16.Spec(false), GoogLeNet.Spec(false), InceptionV3.Spec(false), InceptionV4.Spec(false),
        ResNet50.Spec(false), Ssd300.Spec(false), ResNeXt50.Spec(false), MobileNetV1.Spec(false), SqueezeNet.Spec(false),
        PtbLstm.Spec(), Mha.Spec(),
    };

    private static readonly NetworkSpec[] s_fused =
    {
        AlexNet.Spec(true), Vgg16.Spec(true), GoogLeNet.Spec(true), InceptionV3.Spec(true), InceptionV4.Spec(true),
        ResNet50.Spec(true), Ssd300.Spec(true), ResNeXt50.Spec(true), MobileNetV1.Spec(true), SqueezeNet.Spec(true),
    };

    /// <summary>Every network: the twelve, then the fused CNN variants.</summary>
    public static IReadOnlyList<NetworkSpec> All { get; } = [.. s_base, .. s_fused];

    /// <summary>The twelve networks of the paper (no fused variants).</summary>
    public static IReadOnlyList<NetworkSpec> Paper { get; } = s_base;

    /// <summary>All names, in <see cref="All"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(n => n.Name).ToArray();

    /// <summary>Looks a network up by name (case-insensitive).</summary>
    public static bool TryGet(string name, out NetworkSpec spec)
    {
        spec = All.FirstOrDefault(n => string.Equals(n.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return spec is not null;
    }

    /// <summary>Looks a network up by name; an unknown name throws an error listing the known ones.</summary>
    public static NetworkSpec Get(string name) => TryGet(name, out var spec) ? spec
        : throw new ArgumentException($"unknown network '{name}'; known networks: {string.Join(", ", Names)}", nameof(name));
}
