using System.Globalization;
using OnSram.Accelerator;
using OnSram.Speculation.Events;

namespace OnSram.Speculation.Tests.Support;

/// <summary>When a synthetic run releases its activations.</summary>
public enum ReleaseMode
{
    /// <summary>Right after the last op reading them (reference counting, as a Python eager script does).</summary>
    Prompt,

    /// <summary>All at the end of the iteration (one scope around the iteration).</summary>
    EndOfIteration,
}

/// <summary>
/// A network written as a list of TensorFlow ops with realistic shapes, FLOPs, units and traits (NHWC, float32 on
/// the host, FP16 on the device), emitted as the event stream an eager script of it would produce. Weights are
/// external tensors with fixed ids; activations get fresh ids every iteration; the model input is a fresh external
/// tensor each iteration. FLOPs follow the project's conventions: a multiply-add counts 2 (Conv2D, depthwise,
/// MatMul), batch normalisation folded to one multiply-add per element (2), ReLU/ReLU6/AddV2/BiasAdd 1 per element,
/// max pooling one comparison per window element, Mean one add per input element, Softmax 5 per element.
/// </summary>
public sealed class SyntheticNetwork
{
    private readonly List<Node> _nodes = new();
    private readonly List<long[]> _weights = new();
    private readonly long[] _inputShape;

    private SyntheticNetwork(string name, long[] inputShape)
    {
        Name = name;
        _inputShape = inputShape;
    }

    /// <summary>The network's name.</summary>
    public string Name { get; }

    /// <summary>Ops per iteration.</summary>
    public int OpsPerIteration => _nodes.Count;

    /// <summary>A tensor of the graph: output <see cref="Output"/> of node <see cref="Node"/> (-1: the model input).</summary>
    public readonly record struct Ref(int Node, int Output, long[] Shape);

    private sealed record Node(string Type, string AttrKey, ComputeUnit Unit, double Flops, object[] Inputs, long[][] Outputs, OpTraits Traits);

    private readonly record struct Weight(int Index);

    private readonly record struct IntConst(int Index, long Elements);

    /// <summary>ResNet-50 (Keras layout, bottleneck blocks [3, 4, 6, 3]) at 224x224, batch 1.</summary>
    public static SyntheticNetwork ResNet50()
    {
        var g = new SyntheticNetwork("resnet50", [1, 224, 224, 3]);
        var x = g.Input;
        x = g.Relu(g.BatchNorm(g.Conv(x, 7, 2, 64)));
        x = g.MaxPool(x, 3, 2);
        int[] blocks = [3, 4, 6, 3];
        int[] widths = [64, 128, 256, 512];
        for (var s = 0; s < blocks.Length; s++)
        {
            for (var b = 0; b < blocks[s]; b++)
            {
                var stride = b == 0 && s > 0 ? 2 : 1;
                var w = widths[s];
                var a = g.Relu(g.BatchNorm(g.Conv(x, 1, stride, w)));
                a = g.Relu(g.BatchNorm(g.Conv(a, 3, 1, w)));
                a = g.BatchNorm(g.Conv(a, 1, 1, 4 * w));
                var shortcut = b == 0 ? g.BatchNorm(g.Conv(x, 1, stride, 4 * w)) : x;
                x = g.Relu(g.Add(a, shortcut));
            }
        }
        g.Classifier(x, 1000);
        return g;
    }

    /// <summary>MobileNetV1 (width 1.0) at 224x224, batch 1.</summary>
    public static SyntheticNetwork MobileNetV1()
    {
        var g = new SyntheticNetwork("mobilenet_v1", [1, 224, 224, 3]);
        var x = g.Relu6(g.BatchNorm(g.Conv(g.Input, 3, 2, 32)));
        (int Channels, int Stride)[] blocks =
        [
            (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
            (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
        ];
        foreach (var (c, s) in blocks)
        {
            x = g.Relu6(g.BatchNorm(g.Depthwise(x, 3, s)));
            x = g.Relu6(g.BatchNorm(g.Conv(x, 1, 1, c)));
        }
        g.Classifier(x, 1000);
        return g;
    }

    /// <summary>The model input.</summary>
    public Ref Input => new(-1, 0, _inputShape);

    /// <summary>
    /// Emits <paramref name="iterations"/> iterations to <paramref name="sink"/>, each closed by an iteration mark,
    /// with activation ids from <paramref name="idBase"/> upwards.
    /// </summary>
    public void Emit(IEventSink sink, int iterations, ReleaseMode release = ReleaseMode.Prompt, long idBase = 1_000_000)
    {
        var lastReader = new Dictionary<(int, int), int>();
        for (var k = 0; k < _nodes.Count; k++)
        {
            foreach (var input in _nodes[k].Inputs)
            {
                if (input is Ref { Node: >= 0 } r)
                {
                    lastReader[(r.Node, r.Output)] = k;
                }
            }
        }
        var finalNode = _nodes.Count - 1;
        var perIteration = (long)_nodes.Count * 8 + 16;
        for (var it = 0; it < iterations; it++)
        {
            var baseId = idBase + it * perIteration;
            long Id(int node, int output) => baseId + node * 8L + output;
            var modelInput = baseId + perIteration - 1;
            var pending = new List<long>();
            for (var k = 0; k < _nodes.Count; k++)
            {
                var n = _nodes[k];
                var inputs = new TensorInfo[n.Inputs.Length];
                for (var i = 0; i < inputs.Length; i++)
                {
                    inputs[i] = n.Inputs[i] switch
                    {
                        Ref { Node: < 0 } r => Float(modelInput, r.Shape),
                        Ref r => Float(Id(r.Node, r.Output), r.Shape),
                        Weight w => Float(1 + w.Index, _weights[w.Index]),
                        IntConst c => new TensorInfo(100_000 + c.Index, [c.Elements], c.Elements, 4, false),
                        _ => throw new InvalidOperationException(),
                    };
                }
                var outputs = new TensorInfo[n.Outputs.Length];
                for (var j = 0; j < outputs.Length; j++)
                {
                    outputs[j] = Float(Id(k, j), n.Outputs[j]);
                }
                sink.OnOp(new OpEvent(n.Type, n.AttrKey, n.Unit, n.Flops, inputs, outputs, n.Traits));
                if (release == ReleaseMode.Prompt)
                {
                    foreach (var input in n.Inputs)
                    {
                        if (input is Ref { Node: >= 0 } r && lastReader[(r.Node, r.Output)] == k)
                        {
                            sink.OnRelease(Id(r.Node, r.Output));
                        }
                    }
                    for (var j = 0; j < outputs.Length; j++)
                    {
                        if (!lastReader.ContainsKey((k, j)) && !(k == finalNode && j == 0))
                        {
                            sink.OnRelease(Id(k, j));
                        }
                    }
                }
                else
                {
                    for (var j = 0; j < outputs.Length; j++)
                    {
                        pending.Add(Id(k, j));
                    }
                }
            }
            if (release == ReleaseMode.Prompt)
            {
                sink.OnRelease(Id(finalNode, 0));
            }
            foreach (var id in pending)
            {
                sink.OnRelease(id);
            }
            sink.OnMark(Marks.Iteration);
        }
    }

    private static TensorInfo Float(long id, long[] shape) => new(id, shape, shape.Aggregate(1L, (a, d) => a * d), 4, true);

    private static long Elements(long[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    private Weight NewWeight(params long[] shape)
    {
        _weights.Add(shape);
        return new Weight(_weights.Count - 1);
    }

    private Ref Add(string type, string attrs, ComputeUnit unit, double flops, object[] inputs, OpTraits traits, params long[][] outputs)
    {
        _nodes.Add(new Node(type, attrs, unit, flops, inputs, outputs, traits));
        return new Ref(_nodes.Count - 1, 0, outputs[0]);
    }

    private static string Attrs(params (string Key, object Value)[] attrs) =>
        string.Join(";", attrs.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + Convert.ToString(a.Value, CultureInfo.InvariantCulture)));

    /// <summary>Conv2D, SAME padding, square kernel.</summary>
    public Ref Conv(Ref x, int k, int stride, int cout)
    {
        var (h, w, cin) = (x.Shape[1], x.Shape[2], x.Shape[3]);
        long ho = (h + stride - 1) / stride, wo = (w + stride - 1) / stride;
        var weight = NewWeight(k, k, cin, cout);
        var flops = 2.0 * k * k * cin * cout * ho * wo;
        return Add("Conv2D", Attrs(("data_format", "NHWC"), ("dilations", "[1,1,1,1]"), ("padding", "SAME"), ("strides", $"[1,{stride},{stride},1]")),
            ComputeUnit.Matrix, flops, [x, weight], new OpTraits(k * k * cout, k, k, stride, stride), [1, ho, wo, cout]);
    }

    /// <summary>DepthwiseConv2dNative, SAME padding, multiplier 1.</summary>
    public Ref Depthwise(Ref x, int k, int stride)
    {
        var (h, w, c) = (x.Shape[1], x.Shape[2], x.Shape[3]);
        long ho = (h + stride - 1) / stride, wo = (w + stride - 1) / stride;
        var weight = NewWeight(k, k, c, 1);
        return Add("DepthwiseConv2dNative", Attrs(("data_format", "NHWC"), ("dilations", "[1,1,1,1]"), ("padding", "SAME"), ("strides", $"[1,{stride},{stride},1]")),
            ComputeUnit.Matrix, 2.0 * k * k * c * ho * wo, [x, weight], new OpTraits(k * k, k, k, stride, stride), [1, ho, wo, c]);
    }

    /// <summary>FusedBatchNormV3 in inference mode: y plus TensorFlow's five per-channel side outputs.</summary>
    public Ref BatchNorm(Ref x)
    {
        var c = x.Shape[3];
        object[] inputs = [x, NewWeight(c), NewWeight(c), NewWeight(c), NewWeight(c)];
        return Add("FusedBatchNormV3", Attrs(("data_format", "NHWC"), ("epsilon", "0.001"), ("is_training", "false")),
            ComputeUnit.Vector, 2.0 * Elements(x.Shape), inputs, OpTraits.Elementwise, x.Shape, [c], [c], [c], [c], [c]);
    }

    /// <summary>Relu.</summary>
    public Ref Relu(Ref x) => Add("Relu", "", ComputeUnit.Vector, Elements(x.Shape), [x], OpTraits.Elementwise, x.Shape);

    /// <summary>Relu6.</summary>
    public Ref Relu6(Ref x) => Add("Relu6", "", ComputeUnit.Vector, Elements(x.Shape), [x], OpTraits.Elementwise, x.Shape);

    /// <summary>AddV2 of two tensors of one shape.</summary>
    public Ref Add(Ref a, Ref b) => Add("AddV2", "", ComputeUnit.Vector, Elements(a.Shape), [a, b], OpTraits.Elementwise, a.Shape);

    /// <summary>MaxPool, SAME padding.</summary>
    public Ref MaxPool(Ref x, int k, int stride)
    {
        var (h, w, c) = (x.Shape[1], x.Shape[2], x.Shape[3]);
        long ho = (h + stride - 1) / stride, wo = (w + stride - 1) / stride;
        return Add("MaxPool", Attrs(("data_format", "NHWC"), ("ksize", $"[1,{k},{k},1]"), ("padding", "SAME"), ("strides", $"[1,{stride},{stride},1]")),
            ComputeUnit.Vector, (double)k * k * c * ho * wo, [x], new OpTraits(1, k, k, stride, stride), [1, ho, wo, c]);
    }

    /// <summary>Global average pooling, MatMul to <paramref name="classes"/>, BiasAdd, Softmax.</summary>
    public Ref Classifier(Ref x, int classes)
    {
        var c = x.Shape[3];
        var pooled = Add("Mean", "keep_dims=false", ComputeUnit.Vector, Elements(x.Shape), [x, new IntConst(0, 2)], OpTraits.Elementwise, [1, c]);
        var logits = Add("MatMul", "transpose_a=false;transpose_b=false", ComputeUnit.Matrix, 2.0 * c * classes,
            [pooled, NewWeight(c, classes)], new OpTraits(c), [1, classes]);
        logits = Add("BiasAdd", "data_format=NHWC", ComputeUnit.Vector, classes, [logits, NewWeight(classes)], OpTraits.Elementwise, [1, classes]);
        return Add("Softmax", "", ComputeUnit.Vector, 5.0 * classes, [logits], OpTraits.Elementwise, [1, classes]);
    }
}
