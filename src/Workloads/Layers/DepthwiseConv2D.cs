using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Keras <c>DepthwiseConv2D</c> (NHWC): <c>DepthwiseConv2dNative</c> with a [Kh, Kw, Cin, multiplier]
/// kernel, then <c>BiasAdd</c> when <c>use_bias</c>, then the activation. There is no fused form here:
/// the fused variants fuse only <c>Conv2D</c> and <c>MatMul</c> (<c>_FusedConv2D</c>, <c>_FusedMatMul</c>).
/// </summary>
public sealed class DepthwiseConv2D : Layer
{
    private Tensor? _kernel;
    private Tensor? _bias;

    /// <summary>Creates the layer.</summary>
    /// <param name="kernel_size">Kernel height and width.</param>
    /// <param name="strides">Strides (default 1).</param>
    /// <param name="padding"><c>same</c> or <c>valid</c>.</param>
    /// <param name="depth_multiplier">Output channels per input channel.</param>
    /// <param name="dilation_rate">Dilation (default 1).</param>
    /// <param name="use_bias">Whether a bias is added.</param>
    /// <param name="activation">Activation name or null.</param>
    /// <param name="name">Layer name.</param>
    public DepthwiseConv2D(Size2 kernel_size, Size2? strides = null, string padding = "valid", int depth_multiplier = 1,
        Size2? dilation_rate = null, bool use_bias = true, string? activation = null, string? name = null)
        : base(name)
    {
        if (depth_multiplier <= 0)
        {
            throw new ArgumentException($"depth_multiplier must be positive, got {depth_multiplier}");
        }
        KernelSize = kernel_size.Validate("kernel_size");
        Strides = (strides ?? 1).Validate("strides");
        PaddingAttr = Padding.ToAttr(padding);
        DepthMultiplier = depth_multiplier;
        DilationRate = (dilation_rate ?? 1).Validate("dilation_rate");
        UseBias = use_bias;
        ActivationName = Activations.Validate(activation);
    }

    /// <summary>Kernel size.</summary>
    public Size2 KernelSize { get; }

    /// <summary>Strides.</summary>
    public Size2 Strides { get; }

    /// <summary>TensorFlow padding attribute.</summary>
    public string PaddingAttr { get; }

    /// <summary>Output channels per input channel.</summary>
    public int DepthMultiplier { get; }

    /// <summary>Dilation.</summary>
    public Size2 DilationRate { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Activation name (null when linear).</summary>
    public string? ActivationName { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype)
    {
        ExpectRank(inputShape, 4);
        var cin = inputShape[3];
        _kernel = AddWeight("depthwise_kernel", new Shape(KernelSize.H, KernelSize.W, cin, DepthMultiplier), dtype, Initializer.GlorotNormal);
        if (UseBias)
        {
            _bias = AddWeight("bias", new Shape(cin * DepthMultiplier), dtype, Initializer.Bias);
        }
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        var y = tf.nn.depthwise_conv2d(input, _kernel!, Strides.ToNhwc(), PaddingAttr, "NHWC", DilationRate.ToNhwc());
        if (UseBias)
        {
            y = y.Then(c => tf.nn.bias_add(c, _bias!));
        }
        return Activations.ApplyAndRelease(ActivationName, y);
    }
}
