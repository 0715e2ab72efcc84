using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// AlexNet, single-tower form of Krizhevsky's "One weird trick" paper (2014), as in torchvision and
/// the ONNX/Caffe2 model zoos: conv 64-192-384-256-256, three max pools, FC 4096-4096-1000; no LRN,
/// no channel groups. Input 227x227 so the first VALID convolution yields 55x55 as published.
/// 61,100,840 parameters.
/// </summary>
public static class AlexNet
{
    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "alexnet_fused" : "alexnet",
        "AlexNet (single tower, 5 conv + 3 FC), 227x227 input, 1000 classes",
        "Krizhevsky 2014 'One weird trick' single-tower AlexNet (torchvision alexnet)",
        new Shape(1, 227, 227, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused) => new Sequential(new Layer[]
    {
        new Conv2D(64, 11, strides: 4, padding: "valid", activation: "relu", fused: fused, name: "conv1"),
        new MaxPooling2D(3, 2, name: "pool1"),
        new Conv2D(192, 5, padding: "same", activation: "relu", fused: fused, name: "conv2"),
        new MaxPooling2D(3, 2, name: "pool2"),
        new Conv2D(384, 3, padding: "same", activation: "relu", fused: fused, name: "conv3"),
        new Conv2D(256, 3, padding: "same", activation: "relu", fused: fused, name: "conv4"),
        new Conv2D(256, 3, padding: "same", activation: "relu", fused: fused, name: "conv5"),
        new MaxPooling2D(3, 2, name: "pool5"),
        new Flatten(name: "flatten"),
        new Dropout(0.5, name: "drop6"),
        new Dense(4096, "relu", fused: fused, name: "fc6"),
        new Dropout(0.5, name: "drop7"),
        new Dense(4096, "relu", fused: fused, name: "fc7"),
        new Dense(1000, "softmax", fused: fused, name: "fc8"),
    }, "alexnet");
}
