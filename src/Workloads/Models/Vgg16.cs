using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// VGG-16 (Simonyan and Zisserman 2015, configuration D) as Keras's <c>VGG16</c>: thirteen 3x3 SAME
/// convolutions with ReLU in five blocks, each block closed by a 2x2/2 max pool, then FC
/// 4096-4096-1000 (no dropout in the Keras model). 138,357,544 parameters.
/// </summary>
public static class Vgg16
{
    /// <summary>Convolutions per block and their filters.</summary>
    internal static readonly (int Convs, int Filters)[] BlockConfig = { (2, 64), (2, 128), (3, 256), (3, 512), (3, 512) };

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "vgg16_fused" : "vgg16",
        "VGG-16 (13 conv + 3 FC), 224x224 input, 1000 classes",
        "Simonyan & Zisserman 2015, configuration D (Keras applications VGG16)",
        new Shape(1, 224, 224, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>The thirteen convolutions and five pools (shared with SSD300's backbone up to a point).</summary>
    internal static IEnumerable<Layer> Features(bool fused)
    {
        for (var b = 0; b < BlockConfig.Length; b++)
        {
            var (convs, filters) = BlockConfig[b];
            for (var c = 0; c < convs; c++)
            {
                yield return new Conv2D(filters, 3, padding: "same", activation: "relu", fused: fused, name: $"block{b + 1}_conv{c + 1}");
            }
            yield return new MaxPooling2D(2, 2, name: $"block{b + 1}_pool");
        }
    }

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused) => new Sequential(Features(fused).Concat(new Layer[]
    {
        new Flatten(name: "flatten"),
        new Dense(4096, "relu", fused: fused, name: "fc1"),
        new Dense(4096, "relu", fused: fused, name: "fc2"),
        new Dense(1000, "softmax", fused: fused, name: "predictions"),
    }), "vgg16");
}
