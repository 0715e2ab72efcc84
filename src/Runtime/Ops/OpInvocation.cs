namespace OnSram.Runtime.Ops;

/// <summary>
/// What an op definition plans from: the op type, input specs, attributes and, where the caller has
/// them, the values of small integer inputs (shape arguments such as <c>perm</c> or <c>paddings</c>)
/// and the output specs already known (from a trace). Attribute getters apply TensorFlow's defaults and
/// throw <see cref="OpException"/> naming the op, the input shapes and the attribute at fault.
/// </summary>
public sealed class OpInvocation
{
    private readonly Func<int, long[]?>? _constant;

    /// <summary>Creates an invocation.</summary>
    /// <param name="opType">TensorFlow op type.</param>
    /// <param name="inputs">Input specs.</param>
    /// <param name="attrs">Attributes.</param>
    /// <param name="constant">Returns the integer values of input i, or null when unknown.</param>
    /// <param name="knownOutputs">Output specs already known (trace replay), or null.</param>
    public OpInvocation(string opType, TensorSpec[] inputs, OpAttrs attrs, Func<int, long[]?>? constant = null, TensorSpec[]? knownOutputs = null)
    {
        OpType = opType;
        Inputs = inputs;
        Attrs = attrs;
        _constant = constant;
        KnownOutputs = knownOutputs;
    }

    /// <summary>TensorFlow op type.</summary>
    public string OpType { get; }

    /// <summary>Input specs.</summary>
    public TensorSpec[] Inputs { get; }

    /// <summary>Attributes as given (defaults are applied by the getters).</summary>
    public OpAttrs Attrs { get; }

    /// <summary>Output specs known in advance (trace replay), or null.</summary>
    public TensorSpec[]? KnownOutputs { get; }

    /// <summary>An <see cref="OpException"/> for this invocation.</summary>
    public OpException Error(string detail, string? attribute = null) => new(OpType, Inputs, detail, attribute);

    /// <summary>Throws unless the op has between <paramref name="min"/> and <paramref name="max"/> inputs.</summary>
    public void ExpectInputs(int min, int max = -1)
    {
        if (max < 0)
        {
            max = min;
        }
        if (Inputs.Length < min || Inputs.Length > max)
        {
            var want = min == max ? $"{min}" : $"{min} to {max}";
            throw Error($"expects {want} inputs, got {Inputs.Length}");
        }
    }

    /// <summary>Throws unless input <paramref name="index"/> has one of the <paramref name="allowed"/> dtypes.</summary>
    public void ExpectDType(int index, params DType[] allowed)
    {
        var d = Inputs[index].DType;
        if (Array.IndexOf(allowed, d) < 0)
        {
            throw Error($"input {index} has dtype {d.Name()}, expected one of {string.Join(", ", allowed.Select(a => a.Name()))}");
        }
    }

    /// <summary>Throws unless input <paramref name="index"/> has rank <paramref name="rank"/>.</summary>
    public void ExpectRank(int index, int rank, string what)
    {
        if (Inputs[index].Shape.ndim != rank)
        {
            throw Error($"{what} (input {index}) must be rank {rank}, got shape {Inputs[index].Shape.ToCompactString()}");
        }
    }

    /// <summary>The integer values of input <paramref name="index"/>, or null when they are not known.</summary>
    public long[]? ConstantValues(int index) => _constant?.Invoke(index);

    /// <summary>The integer values of input <paramref name="index"/>, or an error naming <paramref name="what"/>.</summary>
    public long[] RequireConstant(int index, string what) =>
        ConstantValues(index) ?? throw Error($"needs the value of input {index} ('{what}'), a host constant, but it has no data");

    /// <summary>An integer attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public long Int(string name, long? defaultValue = null)
    {
        if (!Attrs.TryGet(name, out var v))
        {
            return defaultValue ?? throw Error("required attribute is missing", name);
        }
        return v is long l ? l : throw Error($"must be an integer, got {OpAttrs.FormatValue(v)}", name);
    }

    /// <summary>A float attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public double Float(string name, double? defaultValue = null)
    {
        if (!Attrs.TryGet(name, out var v))
        {
            return defaultValue ?? throw Error("required attribute is missing", name);
        }
        return v switch
        {
            double d => d,
            long l => l,
            _ => throw Error($"must be a number, got {OpAttrs.FormatValue(v)}", name),
        };
    }

    /// <summary>A boolean attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public bool Bool(string name, bool? defaultValue = null)
    {
        if (!Attrs.TryGet(name, out var v))
        {
            return defaultValue ?? throw Error("required attribute is missing", name);
        }
        return v is bool b ? b : throw Error($"must be a bool, got {OpAttrs.FormatValue(v)}", name);
    }

    /// <summary>A string attribute, or <paramref name="defaultValue"/> when absent; checked against <paramref name="allowed"/> when given.</summary>
    public string String(string name, string? defaultValue = null, params string[] allowed)
    {
        string s;
        if (!Attrs.TryGet(name, out var v))
        {
            s = defaultValue ?? throw Error("required attribute is missing", name);
        }
        else
        {
            s = v as string ?? throw Error($"must be a string, got {OpAttrs.FormatValue(v)}", name);
        }
        if (allowed.Length > 0 && Array.IndexOf(allowed, s) < 0)
        {
            throw Error($"must be one of {string.Join(", ", allowed)}, got '{s}'", name);
        }
        return s;
    }

    /// <summary>An integer-list attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public long[] Ints(string name, long[]? defaultValue = null)
    {
        if (!Attrs.TryGet(name, out var v))
        {
            return defaultValue ?? throw Error("required attribute is missing", name);
        }
        return v switch
        {
            long[] la => la,
            long l => new[] { l },
            _ => throw Error($"must be a list of integers, got {OpAttrs.FormatValue(v)}", name),
        };
    }

    /// <summary>A string-list attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public string[] Strings(string name, string[]? defaultValue = null)
    {
        if (!Attrs.TryGet(name, out var v))
        {
            return defaultValue ?? throw Error("required attribute is missing", name);
        }
        return v switch
        {
            string[] sa => sa,
            string s => new[] { s },
            _ => throw Error($"must be a list of strings, got {OpAttrs.FormatValue(v)}", name),
        };
    }

    /// <summary>A dtype attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public DType Type(string name, DType? defaultValue = null)
    {
        if (!Attrs.TryGet(name, out var v))
        {
            return defaultValue ?? throw Error("required attribute is missing", name);
        }
        return v switch
        {
            DType t => t,
            string s when DTypes.TryParse(s, out var p) => p,
            _ => throw Error($"must be a dtype, got {OpAttrs.FormatValue(v)}", name),
        };
    }

    /// <summary>Normalizes a possibly negative <paramref name="axis"/> against <paramref name="rank"/>.</summary>
    public int Axis(long axis, int rank, string what = "axis")
    {
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            throw Error($"{what} {axis} is out of range for rank {rank}", what);
        }
        return (int)a;
    }
}
