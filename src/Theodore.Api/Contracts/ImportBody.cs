using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Theodore.Application.Companies;

namespace Theodore.Api.Contracts;

/// <summary>
/// An import body read as a stream of companies, never whole: a JSON array (<c>application/json</c>) item by item, or
/// one company per line (<c>application/x-ndjson</c>, <c>application/jsonl</c>) line by line. An item that is not a
/// company is reported as such and the rest go on; in an array, JSON broken at some point fails everything after it
/// (one item saying where), since the items after cannot be told apart.
/// </summary>
internal static class ImportBody
{
    /// <summary>The longest line of NDJSON read; a longer one fails as an item, and reading resumes after it.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    public static bool IsNdjson(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = request.ContentType ?? string.Empty;
        return type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/jsonlines", StringComparison.OrdinalIgnoreCase);
    }

    public static async IAsyncEnumerable<CompanyImportItem> ReadArrayAsync(Stream body, JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        var items = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var disposeItems = items.ConfigureAwait(false);
        while (true)
        {
            string? broken = null;
            try
            {
                if (!await items.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (JsonException ex)
            {
                broken = $"the body is not a JSON array of companies from here on: {ex.Message}";
            }

            if (broken is not null)
            {
                yield return new CompanyImportItem(index, null, broken);
                yield break;
            }

            yield return Item(index++, items.Current, options);
        }
    }

    public static async IAsyncEnumerable<CompanyImportItem> ReadLinesAsync(PipeReader body, JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        var skippingLongLine = false;
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            var items = new List<CompanyImportItem>();
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                    continue;
                }

                if (Line(line, ref index, options) is { } item)
                {
                    items.Add(item);
                }
            }

            if (!skippingLongLine && buffer.Length > MaxLineBytes)
            {
                items.Add(new CompanyImportItem(index++, null, $"the line is longer than {MaxLineBytes} bytes"));
                skippingLongLine = true;
            }

            if (skippingLongLine)
            {
                buffer = buffer.Slice(buffer.End);
            }

            if (read.IsCompleted && !skippingLongLine && Line(buffer, ref index, options) is { } last)
            {
                items.Add(last);
                buffer = buffer.Slice(buffer.End);
            }

            body.AdvanceTo(buffer.Start, buffer.End);
            foreach (var item in items)
            {
                yield return item;
            }

            if (read.IsCompleted)
            {
                yield break;
            }
        }
    }

    private static CompanyImportItem? Line(ReadOnlySequence<byte> line, ref int index, JsonSerializerOptions options)
    {
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        if (bytes.Trim(" \t\r"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line.IsSingleSegment ? line.First : line.ToArray());
            return Item(index++, document.RootElement, options);
        }
        catch (JsonException ex)
        {
            return new CompanyImportItem(index++, null, $"the line is not JSON: {ex.Message}");
        }
    }

    private static CompanyImportItem Item(int index, JsonElement element, JsonSerializerOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new CompanyImportItem(index, null, $"a company is a JSON object, got {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        try
        {
            var company = element.Deserialize<CompanyInput>(options);
            // the custom fields point into the document, which the next line replaces
            return new CompanyImportItem(index, company is { CustomFields: { } custom } ? company with { CustomFields = custom.Clone() } : company);
        }
        catch (JsonException ex)
        {
            return new CompanyImportItem(index, null, $"not a company: {ex.Message}");
        }
    }
}
