namespace OnSram.Accelerator.Configuration;

/// <summary>A configuration value or file is invalid. The message names the key and, when known, the file.</summary>
public sealed class AcceleratorConfigException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/> (null when the fault is not one key).</summary>
    public AcceleratorConfigException(string? key, string? source, string problem, Exception? inner = null)
        : base(Format(key, source, problem), inner)
    {
        Key = key;
        Source = source;
    }

    /// <summary>The key at fault, or null when the whole document is at fault.</summary>
    public string? Key { get; }

    /// <summary>The file (or other source) the value came from, or null.</summary>
    public new string? Source { get; }

    private static string Format(string? key, string? source, string problem)
    {
        var where = source is null ? "accelerator config" : $"accelerator config '{source}'";
        return key is null ? $"{where}: {problem}" : $"{where}: key '{key}' {problem}";
    }
}
