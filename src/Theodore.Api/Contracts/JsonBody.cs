using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Theodore.Api.Contracts;

/// <summary>
/// Reads a JSON body whole, then deserializes it from one contiguous span. A vector body spans several of Kestrel's
/// 4 KiB buffers; the streaming reader pays for every token that crosses one, this pays one copy at most. Errors are
/// what the framework's own binding gives: 415 without a JSON content type, 400 for a missing or malformed body
/// (the JSON reader's message names the position), 413 past the body limit.
/// </summary>
internal static class JsonBody
{
    public static async ValueTask<T?> ReadAsync<T>(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException("The request body must be JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var reader = context.Request.BodyReader;
        var cancellationToken = context.RequestAborted;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!read.IsCompleted)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                continue;
            }

            try
            {
                return Deserialize<T>(read.Buffer, options);
            }
            finally
            {
                reader.AdvanceTo(read.Buffer.End);
            }
        }
    }

    private static T? Deserialize<T>(ReadOnlySequence<byte> body, JsonSerializerOptions options)
    {
        if (body.IsEmpty)
        {
            throw new BadHttpRequestException("A JSON request body is required.", StatusCodes.Status400BadRequest);
        }

        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> json;
            if (body.IsSingleSegment)
            {
                json = body.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent(checked((int)body.Length));
                body.CopyTo(rented);
                json = rented.AsSpan(0, (int)body.Length);
            }

            return JsonSerializer.Deserialize<T>(json, options);
        }
        catch (JsonException ex)
        {
            throw new BadHttpRequestException($"Failed to read the request body as JSON: {ex.Message}", StatusCodes.Status400BadRequest, ex);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
