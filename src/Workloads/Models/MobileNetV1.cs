using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// MobileNetV1 (Howard et al. 2017), width 1.0, 224x224, as Keras's <c>MobileNet</c>: a 3x3/2
/// convolution, then 13 depthwise-separable blocks (DepthwiseConv2D 3x3, batch norm, ReLU6, 1x1
/// Conv2D, batch norm, ReLU6; a stride-2 block pads its input by ((0,1),(0,1)) and uses VALID), global
/// average pooling (kept 4-D), dropout, a 1x1 convolution to 1000 classes with bias, Reshape and
/// softmax. Convolutions have no bias except the classifier. 4,253,864 parameters (Keras total;
/// 4,231,976 trainable). In the fused variant the 1x1 and the first convolutions become
/// <c>_FusedConv2D</c> [FusedBatchNorm, Relu6]; the depthwise ones stay unfused.
/// </summary>
public static class MobileNetV1
{
    /// <summary>Depthwise-separable blocks: pointwise filters and stride.</summary>
    internal static readonly (int Filters, int Stride)[] BlockConfig =
    {
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    };

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "mobilenet_v1_fused" : "mobilenet_v1",
        "MobileNetV1 1.0 (13 depthwise-separable blocks), 224x224 input, 1000 classes",
        "Howard et al. 2017 'MobileNets' (Keras applications MobileNet, alpha 1.0)",
        new Shape(1, 224, 224, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused)
    {
        var layers = new List<Layer> { Blocks.ConvBn(fused, "conv1", 32, 3, 2, "same", "relu6") };
        for (var i = 0; i < BlockConfig.Length; i++)
        {
            var (filters, stride) = BlockConfig[i];
            var id = i + 1;
            if (stride == 2)
            {
                layers.Add(new ZeroPadding2D((0, 1), (0, 1), $"conv_pad_{id}"));
            }
            layers.Add(new DepthwiseConv2D(3, stride, stride == 1 ? "same" : "valid", use_bias: false, name: $"conv_dw_{id}"));
            layers.Add(new BatchNormalization(name: $"conv_dw_{id}_bn"));
            layers.Add(new Activation("relu6", $"conv_dw_{id}_relu"));
            layers.Add(Blocks.ConvBn(fused, $"conv_pw_{id}", filters, 1, 1, "same", "relu6"));
        }
        layers.Add(new GlobalAveragePooling2D(keepdims: true, name: "global_average_pooling2d"));
        layers.Add(new Dropout(1e-3, "dropout"));
        layers.Add(new Conv2D(1000, 1, padding: "same", fused: fused, name: "conv_preds"));
        layers.Add(new Reshape(new long[] { 1000 }, "reshape_2"));
        layers.Add(new Activation("softmax", "predictions"));
        return new Sequential(layers, "mobilenet_v1");
    }
}
