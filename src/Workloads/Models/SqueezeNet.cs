using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// SqueezeNet 1.0 (Iandola et al. 2016), the Caffe reference model: 227x227 input, a 7x7/2 convolution
/// with 96 filters, max pools 3x3/2 after conv1, fire4 and fire8, eight Fire modules (1x1 squeeze with
/// ReLU, then 1x1 and 3x3 expand convolutions with ReLU joined by ConcatV2), dropout, a 1x1
/// convolution to 1000 classes with ReLU, global average pooling and softmax. VALID pools reproduce
/// Caffe's 111-55-27-13 sizes exactly at 227. 1,248,424 parameters.
/// </summary>
public static class SqueezeNet
{
    /// <summary>Fire modules: name, squeeze filters, expand filters (each of 1x1 and 3x3).</summary>
    internal static readonly (string Name, int Squeeze, int Expand)[] Fires =
    {
        ("fire2", 16, 64), ("fire3", 16, 64), ("fire4", 32, 128), ("fire5", 32, 128),
        ("fire6", 48, 192), ("fire7", 48, 192), ("fire8", 64, 256), ("fire9", 64, 256),
    };

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "squeezenet_fused" : "squeezenet",
        "SqueezeNet 1.0 (8 Fire modules), 227x227 input, 1000 classes",
        "Iandola et al. 2016 'SqueezeNet' (DeepScale Caffe SqueezeNet_v1.0)",
        new Shape(1, 227, 227, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused)
    {
        Conv2D Conv(string name, int filters, int k, int s = 1, string padding = "valid") =>
            new(filters, k, s, padding, activation: "relu", fused: fused, name: name);
        var layers = new List<Layer>
        {
            Conv("conv1", 96, 7, 2),
            new MaxPooling2D(3, 2, name: "pool1"),
        };
        foreach (var (name, squeeze, expand) in Fires)
        {
            layers.Add(Blocks.Seq(name,
                Conv(name + "_squeeze1x1", squeeze, 1),
                Blocks.Concat(name + "_expand", Conv(name + "_expand1x1", expand, 1), Conv(name + "_expand3x3", expand, 3, 1, "same"))));
            if (name is "fire4" or "fire8")
            {
                layers.Add(new MaxPooling2D(3, 2, name: name == "fire4" ? "pool4" : "pool8"));
            }
        }
        layers.Add(new Dropout(0.5, "drop9"));
        layers.Add(Conv("conv10", 1000, 1));
        layers.Add(new GlobalAveragePooling2D(name: "pool10"));
        layers.Add(new Activation("softmax", "prob"));
        return new Sequential(layers, "squeezenet");
    }
}
