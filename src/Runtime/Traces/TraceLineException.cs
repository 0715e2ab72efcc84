namespace OnSram.Runtime.Traces;

/// <summary>What is wrong with one line; the reader adds the file and line number.</summary>
internal sealed class TraceLineException(string detail) : Exception(detail);
