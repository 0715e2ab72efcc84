using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// ResNeXt-50 32x4d (Xie et al. 2017) as torchvision's <c>resnext50_32x4d</c>: the ResNet-50 layout
/// with bottleneck widths 128-256-512-1024, a 3x3 convolution of 32 groups carrying the block's stride,
/// convolutions without bias, batch norm epsilon 1e-5. The grouped convolution is one <c>Conv2D</c> op
/// whose filter has Cin/32 input channels (what Keras's <c>Conv2D(groups=32)</c> emits; TensorFlow
/// accepts an input depth that is a multiple of the filter depth). Padding is Keras-style
/// (ZeroPadding2D before the stem convolution and the max pool, SAME for 3x3).
/// 53 convolutions, 25,028,904 trainable parameters (torchvision's count) and 25,097,128 in all
/// (with the batch-norm moving statistics).
/// </summary>
public static class ResNeXt50
{
    /// <summary>Cardinality.</summary>
    public const int Groups = 32;

    /// <summary>Stages: bottleneck (grouped) width, output channels, blocks, stride of the first block.</summary>
    internal static readonly (int Width, int Out, int Blocks, int Stride)[] Stages =
        { (128, 256, 3, 1), (256, 512, 4, 2), (512, 1024, 6, 2), (1024, 2048, 3, 2) };

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "resnext50_fused" : "resnext50",
        "ResNeXt-50 32x4d (53 conv, grouped 3x3), 224x224 input, 1000 classes",
        "Xie et al. 2017 'Aggregated residual transformations' (torchvision resnext50_32x4d)",
        new Shape(1, 224, 224, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused)
    {
        const float eps = 1e-5f;
        Layer C(string name, int filters, int k, int s = 1, string? act = "relu", int groups = 1) =>
            Blocks.ConvBn(fused, name, filters, k, s, k == 1 ? "valid" : "same", act, epsilon: eps, groups: groups);

        var layers = new List<Layer>
        {
            new ZeroPadding2D(3, "conv1_pad"),
            Blocks.ConvBn(fused, "conv1", 64, 7, 2, "valid", "relu", epsilon: eps),
            new ZeroPadding2D(1, "pool1_pad"),
            new MaxPooling2D(3, 2, name: "pool1_pool"),
        };
        for (var s = 0; s < Stages.Length; s++)
        {
            var (width, output, blocks, stride) = Stages[s];
            for (var b = 0; b < blocks; b++)
            {
                var name = $"conv{s + 2}_block{b + 1}";
                var st = b == 0 ? stride : 1;
                var shortcut = b == 0 ? C(name + "_0", output, 1, st, act: null) : null;
                var main = Blocks.Seq(name + "_main",
                    C(name + "_1", width, 1),
                    C(name + "_2", width, 3, st, groups: Groups),
                    C(name + "_3", output, 1, act: null));
                layers.Add(Blocks.Residual(name, shortcut, main));
            }
        }
        layers.Add(new GlobalAveragePooling2D(name: "avg_pool"));
        layers.Add(new Dense(1000, "softmax", fused: fused, name: "fc"));
        return new Sequential(layers, "resnext50");
    }
}
