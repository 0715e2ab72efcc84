using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>Building blocks shared by the networks, in their unfused and fused forms.</summary>
internal static class Blocks
{
    /// <summary>
    /// Conv2D, BatchNormalization, then the activation (Keras's <c>conv2d_bn</c>); fused: one
    /// <c>_FusedConv2D</c> [FusedBatchNorm(, activation)].
    /// </summary>
    public static Layer ConvBn(bool fused, string name, int filters, Size2 kernel, Size2? strides = null, string padding = "same",
        string? activation = "relu", bool use_bias = false, float epsilon = 1e-3f, bool scale = true, int groups = 1)
    {
        var conv = new Conv2D(filters, kernel, strides, padding, groups: groups, use_bias: use_bias, name: name + "_conv");
        var bn = new BatchNormalization(epsilon, scale: scale, name: name + "_bn");
        if (fused)
        {
            return new FusedConv2DBatchNorm(conv, bn, activation, name);
        }
        return activation is null
            ? new Sequential(new Layer[] { conv, bn }, name)
            : new Sequential(new Layer[] { conv, bn, new Activation(activation, name + "_" + activation) }, name);
    }

    /// <summary>A Sequential of the given layers.</summary>
    public static Sequential Seq(string name, params Layer[] layers) => new(layers, name);

    /// <summary>Branches joined by a channel concatenation (an Inception module).</summary>
    public static Branches Concat(string name, params Layer[] branches) => new(new Concatenate(-1, name + "_concat"), branches, name);

    /// <summary>A residual block: the main path added to the shortcut (null: the identity), then the activation.</summary>
    public static Layer Residual(string name, Layer? shortcut, Layer main, string activation = "relu") =>
        Seq(name,
            new Branches(new Add(name + "_add"), new[] { shortcut, main }, name + "_sum"),
            new Activation(activation, name + "_out"));
}
