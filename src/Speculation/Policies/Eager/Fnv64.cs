using System.Globalization;

namespace OnSram.Speculation.Policies.Eager;

/// <summary>
/// FNV-1a, 64 bits: a stable hash (the same on every machine and in every process, unlike
/// <see cref="string.GetHashCode()"/>) for op signatures that are saved in history files.
/// </summary>
internal struct Fnv64
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    private ulong _hash;
    private bool _started;

    /// <summary>The hash so far.</summary>
    public readonly ulong Value => _started ? _hash : Offset;

    /// <summary>Adds one byte.</summary>
    public void Add(byte b)
    {
        if (!_started)
        {
            _hash = Offset;
            _started = true;
        }
        _hash ^= b;
        _hash *= Prime;
    }

    /// <summary>Adds a 64-bit value (little-endian bytes).</summary>
    public void Add(long value)
    {
        var v = (ulong)value;
        for (var i = 0; i < 8; i++)
        {
            Add((byte)(v >> (8 * i)));
        }
    }

    /// <summary>Adds a 64-bit value.</summary>
    public void Add(ulong value) => Add((long)value);

    /// <summary>Adds a string (its UTF-16 code units) followed by a separator, so "ab"+"c" differs from "a"+"bc".</summary>
    public void Add(string? text)
    {
        if (text is not null)
        {
            foreach (var c in text)
            {
                Add((byte)c);
                Add((byte)(c >> 8));
            }
        }
        Add((byte)0xFF);
        Add((byte)0xFE);
    }

    /// <summary>Sixteen lower-case hex digits.</summary>
    public static string Hex(ulong value) => value.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Parses sixteen hex digits.</summary>
    public static bool TryParseHex(string? text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text!.Length == 16;
}
