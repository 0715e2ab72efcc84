using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OnSram.Runtime.Traces;

/// <summary>
/// Formats trace lines (format v1) into an in-memory buffer that the owner drains to its stream.
/// Output is deterministic: fixed key order, attributes sorted by name, invariant number formats.
/// </summary>
internal sealed class TraceLineWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _json;

    public TraceLineWriter()
    {
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        });
    }

    /// <summary>Bytes formatted and not yet drained.</summary>
    public int BufferedBytes => _buffer.WrittenCount;

    public void WriteHeader(string? source, string? model, long? batch)
    {
        _json.WriteStartObject();
        _json.WriteString("format"u8, TraceFormat.Name);
        _json.WriteNumber("version"u8, TraceFormat.Version);
        if (source is not null)
        {
            _json.WriteString("source"u8, source);
        }
        if (model is not null)
        {
            _json.WriteString("model"u8, model);
        }
        if (batch is not null)
        {
            _json.WriteNumber("batch"u8, batch.Value);
        }
        _json.WriteEndObject();
        EndLine();
    }

    public void WriteOp(string opType, string? name, ReadOnlySpan<TensorDescriptor> inputs, ReadOnlySpan<TensorDescriptor> outputs, OpAttrs attrs)
    {
        _json.WriteStartObject();
        _json.WriteString("ev"u8, TraceFormat.OpEvent);
        _json.WriteString("op"u8, opType);
        if (name is not null)
        {
            _json.WriteString("name"u8, name);
        }
        _json.WritePropertyName("in"u8);
        WriteTensors(inputs);
        _json.WritePropertyName("out"u8);
        WriteTensors(outputs);
        _json.WritePropertyName("attrs"u8);
        AttrsJson.Write(_json, attrs);
        _json.WriteEndObject();
        EndLine();
    }

    public void WriteFree(long id)
    {
        _json.WriteStartObject();
        _json.WriteString("ev"u8, TraceFormat.FreeEvent);
        _json.WriteNumber("id"u8, id);
        _json.WriteEndObject();
        EndLine();
    }

    public void WriteMark(string label)
    {
        _json.WriteStartObject();
        _json.WriteString("ev"u8, TraceFormat.MarkEvent);
        _json.WriteString("label"u8, label);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes the buffered lines to <paramref name="stream"/> and empties the buffer.</summary>
    public void DrainTo(Stream stream)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }
        stream.Write(_buffer.WrittenSpan);
        Discard();
    }

    /// <summary>Drops the buffered lines.</summary>
    public void Discard()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
    }

    private void WriteTensors(ReadOnlySpan<TensorDescriptor> tensors)
    {
        _json.WriteStartArray();
        foreach (var t in tensors)
        {
            _json.WriteStartObject();
            _json.WriteNumber("id"u8, t.Id);
            _json.WritePropertyName("shape"u8);
            _json.WriteStartArray();
            foreach (var d in t.Shape.dims)
            {
                _json.WriteNumberValue(d);
            }
            _json.WriteEndArray();
            _json.WriteString("dtype"u8, t.DType.Name());
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    private void EndLine()
    {
        _json.Flush();
        _buffer.Write("\n"u8);
        _json.Reset(_buffer);
    }
}
