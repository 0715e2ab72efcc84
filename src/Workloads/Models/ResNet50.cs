using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// ResNet-50 (He et al. 2016) as Keras's <c>ResNet50</c> (v1): ZeroPadding2D(3), 7x7/2 convolution,
/// batch norm (epsilon 1.001e-5), ReLU, ZeroPadding2D(1), 3x3/2 max pool; four stages of bottleneck
/// blocks (3, 4, 6, 3) whose first block has a projection shortcut and carries the stride on its first
/// 1x1 convolution; global average pooling and a 1000-way softmax. Convolutions have biases, as in
/// Keras. 53 convolutions, 25,636,712 parameters (Keras total; 25,583,592 trainable).
/// </summary>
public static class ResNet50
{
    /// <summary>Stages: bottleneck width, blocks, stride of the first block.</summary>
    internal static readonly (int Width, int Blocks, int Stride)[] Stages = { (64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2) };

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "resnet50_fused" : "resnet50",
        "ResNet-50 v1 (53 conv, 16 bottleneck blocks), 224x224 input, 1000 classes",
        "He et al. 2016 'Deep residual learning' (Keras applications ResNet50)",
        new Shape(1, 224, 224, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused)
    {
        const float eps = 1.001e-5f;
        Layer C(string name, int filters, int k, int s = 1, string? act = "relu") =>
            Blocks.ConvBn(fused, name, filters, k, s, k == 1 ? "valid" : "same", act, use_bias: true, epsilon: eps);

        var layers = new List<Layer>
        {
            new ZeroPadding2D(3, "conv1_pad"),
            Blocks.ConvBn(fused, "conv1", 64, 7, 2, "valid", "relu", use_bias: true, epsilon: eps),
            new ZeroPadding2D(1, "pool1_pad"),
            new MaxPooling2D(3, 2, name: "pool1_pool"),
        };
        for (var s = 0; s < Stages.Length; s++)
        {
            var (width, blocks, stride) = Stages[s];
            for (var b = 0; b < blocks; b++)
            {
                var name = $"conv{s + 2}_block{b + 1}";
                var st = b == 0 ? stride : 1;
                var shortcut = b == 0 ? C(name + "_0", 4 * width, 1, st, act: null) : null;
                var main = Blocks.Seq(name + "_main",
                    C(name + "_1", width, 1, st),
                    C(name + "_2", width, 3),
                    C(name + "_3", 4 * width, 1, act: null));
                layers.Add(Blocks.Residual(name, shortcut, main));
            }
        }
        layers.Add(new GlobalAveragePooling2D(name: "avg_pool"));
        layers.Add(new Dense(1000, "softmax", fused: fused, name: "predictions"));
        return new Sequential(layers, "resnet50");
    }
}
