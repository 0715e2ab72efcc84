using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace OnSram.Speculation.Logging;

/// <summary>
/// One JSON object per line: <c>level</c>, <c>message</c> (rendered, invariant culture) and every property
/// of the event under its own name. No timestamp: logs of a deterministic simulation are deterministic.
/// </summary>
public sealed class JsonLinesFormatter : ITextFormatter
{
    private static readonly JsonValueFormatter s_values = new(typeTagName: null);

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write("{\"level\":\"");
        output.Write(logEvent.Level.ToString());
        output.Write("\",\"message\":");
        JsonValueFormatter.WriteQuotedJsonString(logEvent.RenderMessage(CultureInfo.InvariantCulture), output);
        foreach (var p in logEvent.Properties)
        {
            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(p.Key, output);
            output.Write(':');
            s_values.Format(p.Value, output);
        }
        output.Write('}');
        output.Write('\n');
    }
}
