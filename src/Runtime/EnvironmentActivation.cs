namespace OnSram.Runtime;

/// <summary>
/// Builds the process default context from the <c>ONSRAM*</c> environment variables.
/// <c>ONSRAM_META=1</c> selects meta mode (shapes only).
/// </summary>
public static class EnvironmentActivation
{
    /// <summary>Name of the meta-mode switch.</summary>
    public const string MetaVariable = "ONSRAM_META";

    /// <summary>Creates the default context from the current environment.</summary>
    public static EagerContext CreateDefaultContext() => CreateContext(Environment.GetEnvironmentVariable);

    /// <summary>Creates a context from an environment lookup (injected for tests).</summary>
    public static EagerContext CreateContext(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var meta = ParseMeta(getVariable(MetaVariable));
        var context = new EagerContext(new EagerOptions(MetaMode: meta));

        // ONSRAM_TRACE: record the event stream (src/Runtime/Traces/TraceActivation.cs).
        Traces.TraceActivation.AttachFromEnvironment(context, getVariable);

        return context;
    }

    internal static bool ParseMeta(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "0" or "false" or "off" => false,
        "1" or "true" or "on" => true,
        _ => throw new InvalidOperationException($"{MetaVariable}='{value}' is not valid; allowed values: 1, 0, true, false, on, off"),
    };
}
