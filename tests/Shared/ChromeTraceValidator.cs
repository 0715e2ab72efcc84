using System.Text.Json;

namespace OnSram.Tests.Shared;

/// <summary>One event of a Chrome trace file, as the validator read it.</summary>
public sealed record ChromeEvent(string Name, string Phase, double Ts, long Pid, long Tid, double? Dur, JsonElement? Args);

/// <summary>
/// Checks a Chrome trace event file (JSON object format) against the format's required fields: a
/// <c>traceEvents</c> array whose events all have <c>name</c> (string), <c>ph</c> (a known phase), <c>ts</c>
/// (a finite number &gt;= 0), <c>pid</c> and <c>tid</c> (integers); <c>X</c> events a finite <c>dur</c> &gt;= 0;
/// <c>C</c> events an <c>args</c> object of numbers; <c>M</c> events an <c>args</c> object; instants a valid
/// scope. Shared by the test projects (linked, not copied).
/// </summary>
public static class ChromeTraceValidator
{
    private static readonly HashSet<string> s_phases = ["B", "E", "X", "i", "I", "C", "M", "b", "e", "n", "s", "t", "f", "P", "O", "N", "D", "R"];

    /// <summary>Validates <paramref name="json"/>; returns its events; throws naming the first bad event.</summary>
    public static IReadOnlyList<ChromeEvent> Validate(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Require(root.ValueKind == JsonValueKind.Object, -1, "the file must be a JSON object");
        Require(root.TryGetProperty("traceEvents", out var events) && events.ValueKind == JsonValueKind.Array, -1, "missing traceEvents array");
        if (root.TryGetProperty("displayTimeUnit", out var unit))
        {
            Require(unit.GetString() is "ms" or "ns", -1, "displayTimeUnit must be ms or ns");
        }
        var result = new List<ChromeEvent>();
        var i = 0;
        foreach (var e in events.EnumerateArray())
        {
            Require(e.ValueKind == JsonValueKind.Object, i, "an event must be an object");
            Require(e.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String, i, "name must be a string");
            Require(e.TryGetProperty("ph", out var ph) && ph.ValueKind == JsonValueKind.String && s_phases.Contains(ph.GetString()!), i, "ph must be a known phase");
            Require(e.TryGetProperty("ts", out var ts) && ts.ValueKind == JsonValueKind.Number && double.IsFinite(ts.GetDouble()) && ts.GetDouble() >= 0, i, "ts must be a number >= 0");
            Require(e.TryGetProperty("pid", out var pid) && pid.TryGetInt64(out _), i, "pid must be an integer");
            Require(e.TryGetProperty("tid", out var tid) && tid.TryGetInt64(out _), i, "tid must be an integer");
            double? dur = null;
            JsonElement? args = e.TryGetProperty("args", out var a) ? a.Clone() : null;
            var phase = ph.GetString()!;
            switch (phase)
            {
                case "X":
                    Require(e.TryGetProperty("dur", out var d) && d.ValueKind == JsonValueKind.Number && double.IsFinite(d.GetDouble()) && d.GetDouble() >= 0, i, "X needs dur >= 0");
                    dur = d.GetDouble();
                    break;
                case "C":
                    Require(args is { ValueKind: JsonValueKind.Object }, i, "C needs an args object");
                    Require(args!.Value.EnumerateObject().Any(), i, "C args must name at least one series");
                    Require(args.Value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.Number), i, "C args must be numbers");
                    break;
                case "M":
                    Require(args is { ValueKind: JsonValueKind.Object }, i, "M needs an args object");
                    break;
                case "i" or "I":
                    if (e.TryGetProperty("s", out var s))
                    {
                        Require(s.GetString() is "g" or "p" or "t", i, "instant scope must be g, p or t");
                    }
                    break;
            }
            if (args is not null)
            {
                Require(args.Value.ValueKind == JsonValueKind.Object, i, "args must be an object");
            }
            result.Add(new ChromeEvent(name.GetString()!, phase, ts.GetDouble(), pid.GetInt64(), tid.GetInt64(), dur, args));
            i++;
        }
        return result;
    }

    private static void Require(bool condition, int index, string what)
    {
        if (!condition)
        {
            throw new FormatException(index < 0 ? what : $"traceEvents[{index}]: {what}");
        }
    }
}
