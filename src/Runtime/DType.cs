namespace OnSram.Runtime;

/// <summary>TensorFlow data types the runtime supports.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (<c>float32</c>).</summary>
    Float32,
    /// <summary>16-bit IEEE float (<c>float16</c>, TensorFlow's <c>half</c>).</summary>
    Float16,
    /// <summary>Brain float (<c>bfloat16</c>): the upper 16 bits of a float32.</summary>
    BFloat16,
    /// <summary>64-bit IEEE float (<c>float64</c>).</summary>
    Float64,
    /// <summary>Signed 8-bit integer (<c>int8</c>).</summary>
    Int8,
    /// <summary>Unsigned 8-bit integer (<c>uint8</c>).</summary>
    UInt8,
    /// <summary>Signed 32-bit integer (<c>int32</c>).</summary>
    Int32,
    /// <summary>Signed 64-bit integer (<c>int64</c>).</summary>
    Int64,
    /// <summary>Boolean, one byte an element (<c>bool</c>).</summary>
    Bool,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypes
{
    /// <summary>Bytes one element takes in host storage.</summary>
    public static int Size(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float16 or DType.BFloat16 => 2,
        DType.Float64 or DType.Int64 => 8,
        DType.Int8 or DType.UInt8 or DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloating(this DType dtype) =>
        dtype is DType.Float32 or DType.Float16 or DType.BFloat16 or DType.Float64;

    /// <summary>True for the integer types (not bool).</summary>
    public static bool IsInteger(this DType dtype) =>
        dtype is DType.Int8 or DType.UInt8 or DType.Int32 or DType.Int64;

    /// <summary>TensorFlow's name of the type (<c>float32</c>, <c>int64</c>, ...).</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float16 => "float16",
        DType.BFloat16 => "bfloat16",
        DType.Float64 => "float64",
        DType.Int8 => "int8",
        DType.UInt8 => "uint8",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>All supported types, in declaration order.</summary>
    public static IReadOnlyList<DType> All { get; } = Enum.GetValues<DType>();

    /// <summary>Parses TensorFlow's name of a type (also accepts <c>half</c>, <c>float</c>, <c>double</c>).</summary>
    public static bool TryParse(string? name, out DType dtype)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "float32" or "float": dtype = DType.Float32; return true;
            case "float16" or "half": dtype = DType.Float16; return true;
            case "bfloat16": dtype = DType.BFloat16; return true;
            case "float64" or "double": dtype = DType.Float64; return true;
            case "int8": dtype = DType.Int8; return true;
            case "uint8": dtype = DType.UInt8; return true;
            case "int32": dtype = DType.Int32; return true;
            case "int64": dtype = DType.Int64; return true;
            case "bool": dtype = DType.Bool; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>Parses TensorFlow's name of a type or throws naming the allowed names.</summary>
    public static DType Parse(string name) => TryParse(name, out var d)
        ? d
        : throw new FormatException($"unknown dtype '{name}'; expected one of {string.Join(", ", All.Select(Name))}");
}
