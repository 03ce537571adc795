using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Theodore.Pinecone.Fake;

/// <summary>
/// Pinecone's official OpenAPI documents (2026-04), loaded from YAML (YamlDotNet) into JSON and compiled with
/// JsonSchema.Net: each operation's <c>requestBody</c> schema becomes a draft 2020-12 schema whose <c>$ref</c>s point
/// into the document's <c>components/schemas</c> (moved to <c>$defs</c>). OpenAPI 3.0's <c>nullable</c> becomes a
/// <c>null</c> type; extension keywords (<c>x-enum</c>, <c>example</c>) are ignored as JSON Schema ignores unknown
/// keywords. Built once per process.
/// </summary>
public sealed partial class OpenApiSpec
{
    private static readonly Lazy<OpenApiSpec> Control = new(() => Load("pinecone-db_control_2026-04.oas.yaml", "control"));
    private static readonly Lazy<OpenApiSpec> Data = new(() => Load("pinecone-db_data_2026-04.oas.yaml", "data"));

    private readonly List<Operation> _operations;

    private OpenApiSpec(List<Operation> operations) => _operations = operations;

    public static OpenApiSpec ControlPlane => Control.Value;

    public static OpenApiSpec DataPlane => Data.Value;

    /// <summary>Every operation of the document: method, path template, operationId and whether it has a body schema.</summary>
    public IReadOnlyList<(string Method, string Path, string OperationId, bool HasBodySchema)> Operations =>
        _operations.Select(o => (o.Method, o.Template, o.OperationId, o.Body is not null)).ToArray();

    /// <summary>The operation the request names, or null when the document has none.</summary>
    public string? FindOperation(string method, string path) => Find(method, path)?.OperationId;

    /// <summary>
    /// The problems of <paramref name="body"/> against the operation's request body schema: empty when it conforms. A
    /// request to an operation the document does not describe is itself a problem.
    /// </summary>
    public IReadOnlyList<string> Validate(string method, string path, string? body)
    {
        var operation = Find(method, path);
        if (operation is null)
        {
            return [$"the spec has no operation {method} {path}"];
        }

        if (operation.Body is null)
        {
            return string.IsNullOrEmpty(body) ? [] : [$"{operation.OperationId} takes no request body"];
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return operation.BodyRequired ? [$"{operation.OperationId} requires a request body"] : [];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"the body is not JSON: {e.Message}"];
        }

        using (document)
        {
            // The flag is cheap even for a 2 MB upsert; the detailed list is only built for a body that fails.
            if (operation.Body.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid)
            {
                return [];
            }

            var results = operation.Body.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

            var problems = new List<string>();
            Collect(results, problems);
            return problems.Count == 0 ? [$"the body does not match {operation.OperationId}'s request schema"] : problems;
        }
    }

    private static void Collect(EvaluationResults results, List<string> problems)
    {
        if (results.Errors is { } errors)
        {
            foreach (var (keyword, message) in errors)
            {
                problems.Add($"{results.InstanceLocation} ({keyword}): {message}");
            }
        }

        foreach (var detail in results.Details ?? [])
        {
            Collect(detail, problems);
        }
    }

    private Operation? Find(string method, string path) =>
        _operations.FirstOrDefault(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase) && o.Pattern.IsMatch(path));

    private static OpenApiSpec Load(string resource, string plane)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded spec {resource} is missing");
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = ToJson(yaml.Documents[0].RootNode)!.AsObject();
        var defs = Rewrite(root["components"]!["schemas"]!.DeepClone())!;
        var operations = new List<Operation>();
        foreach (var (template, item) in root["paths"]!.AsObject())
        {
            foreach (var (method, operationNode) in item!.AsObject())
            {
                if (operationNode is not JsonObject op || method is "parameters")
                {
                    continue;
                }

                var id = op["operationId"]?.GetValue<string>() ?? $"{method} {template}";
                JsonSchema? body = null;
                var required = false;
                if (op["requestBody"]?["content"]?["application/json"]?["schema"] is { } schemaNode)
                {
                    required = op["requestBody"]?["required"]?.GetValue<bool>() ?? false;
                    var schema = Rewrite(schemaNode.DeepClone())!.AsObject();
                    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
                    schema["$defs"] = defs.DeepClone();
                    var baseUri = new Uri($"https://theodore.test/pinecone/{plane}/{Uri.EscapeDataString(id)}");
                    // The schema keeps reading its JSON: an element of its own, not one of a document disposed here.
                    JsonElement element;
                    using (var document = JsonDocument.Parse(schema.ToJsonString()))
                    {
                        element = document.RootElement.Clone();
                    }

                    body = JsonSchema.Build(element, new BuildOptions { Dialect = Dialect.Draft202012 }, baseUri);
                }

                operations.Add(new Operation(method.ToUpperInvariant(), template, PathPattern(template), id, body, required));
            }
        }

        return new OpenApiSpec(operations);
    }

    private static Regex PathPattern(string template) =>
        new("^" + ParameterPattern().Replace(Regex.Escape(template).Replace("\\{", "{", StringComparison.Ordinal), "[^/]+") + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\{[^}/]+\}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ParameterPattern();

    // OpenAPI 3.0 schema -> JSON Schema 2020-12: refs into $defs, nullable as a null type.
    private static JsonNode? Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToArray())
                {
                    if (key == "$ref" && obj[key]?.GetValue<string>() is { } reference)
                    {
                        obj[key] = reference.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    }
                    else if (key is "example" or "examples")
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        obj[key] = Rewrite(obj[key]?.DeepClone());
                    }
                }

                if (obj["nullable"] is JsonValue nullable && nullable.GetValue<bool>() && obj["type"] is JsonValue type)
                {
                    obj["type"] = new JsonArray(type.GetValue<string>(), "null");
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Rewrite(array[i]?.DeepClone());
                }

                return array;
            default:
                return node;
        }
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    obj[((YamlScalarNode)key).Value!] = ToJson(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(ToJson)]);
            case YamlScalarNode scalar:
                var text = scalar.Value ?? string.Empty;
                if (scalar.Style is ScalarStyle.Plain)
                {
                    if (text is "true" or "false")
                    {
                        return JsonValue.Create(text == "true");
                    }

                    if (text is "null" or "~" or "")
                    {
                        return null;
                    }

                    if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    {
                        return JsonValue.Create(integer);
                    }

                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                    {
                        return JsonValue.Create(number);
                    }
                }

                return JsonValue.Create(text);
            default:
                return null;
        }
    }

    private sealed record Operation(string Method, string Template, Regex Pattern, string OperationId, JsonSchema? Body, bool BodyRequired);
}
