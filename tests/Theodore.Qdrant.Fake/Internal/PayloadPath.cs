using Qdrant.Client.Grpc;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>
/// Qdrant's JSON path (lib/segment/src/json_path/parse.rs): a raw (<c>[A-Za-z0-9_-]</c>, any alphanumeric) or
/// double-quoted first key (no <c>"</c> or <c>\</c> inside), then <c>.key</c>, <c>."key"</c>, <c>[n]</c> or <c>[]</c>.
/// </summary>
internal sealed class PayloadPath
{
    private readonly List<Step> _steps;

    private PayloadPath(List<Step> steps) => _steps = steps;

    public static PayloadPath Parse(string path)
    {
        var steps = new List<Step>();
        var i = 0;
        steps.Add(new Step(Key(path, ref i) ?? throw Bad(path), null, false));
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                steps.Add(new Step(Key(path, ref i) ?? throw Bad(path), null, false));
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                {
                    throw Bad(path);
                }

                var inner = path[(i + 1)..close];
                if (inner.Length == 0)
                {
                    steps.Add(new Step(null, null, true));
                }
                else if (inner.All(char.IsAsciiDigit) && int.TryParse(inner, System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    steps.Add(new Step(null, n, false));
                }
                else
                {
                    throw Bad(path);
                }

                i = close + 1;
            }
            else
            {
                throw Bad(path);
            }
        }

        return new PayloadPath(steps);
    }

    /// <summary>The values at the path; a final array contributes its elements (a condition holds if any matches).</summary>
    public List<Value> Resolve(IReadOnlyDictionary<string, Value> payload)
    {
        var current = new List<Value>();
        if (!payload.TryGetValue(_steps[0].Key!, out var first))
        {
            return current;
        }

        current.Add(first);
        foreach (var step in _steps.Skip(1))
        {
            var next = new List<Value>();
            foreach (var value in current)
            {
                if (step.Key is not null)
                {
                    if (value.KindCase == Value.KindOneofCase.StructValue && value.StructValue.Fields.TryGetValue(step.Key, out var child))
                    {
                        next.Add(child);
                    }
                    else if (value.KindCase == Value.KindOneofCase.ListValue)
                    {
                        next.AddRange(value.ListValue.Values
                            .Where(v => v.KindCase == Value.KindOneofCase.StructValue && v.StructValue.Fields.ContainsKey(step.Key))
                            .Select(v => v.StructValue.Fields[step.Key]));
                    }
                }
                else if (value.KindCase == Value.KindOneofCase.ListValue)
                {
                    if (step.Wildcard)
                    {
                        next.AddRange(value.ListValue.Values);
                    }
                    else if (step.Index < value.ListValue.Values.Count)
                    {
                        next.Add(value.ListValue.Values[step.Index!.Value]);
                    }
                }
            }

            current = next;
        }

        var flat = new List<Value>();
        foreach (var value in current)
        {
            if (value.KindCase == Value.KindOneofCase.ListValue)
            {
                flat.AddRange(value.ListValue.Values);
            }
            else
            {
                flat.Add(value);
            }
        }

        return flat;
    }

    /// <summary>True when the path leads to nothing, to null, or to an empty array (Qdrant's is_empty).</summary>
    public bool IsEmpty(IReadOnlyDictionary<string, Value> payload) =>
        Resolve(payload).All(v => v.KindCase is Value.KindOneofCase.NullValue or Value.KindOneofCase.None);

    private static string? Key(string path, ref int i)
    {
        if (i >= path.Length)
        {
            return null;
        }

        if (path[i] == '"')
        {
            var start = i + 1;
            var end = start;
            while (end < path.Length && path[end] != '"' && path[end] != '\\')
            {
                end++;
            }

            if (end >= path.Length || path[end] != '"')
            {
                return null;
            }

            i = end + 1;
            return path[start..end];
        }

        var from = i;
        while (i < path.Length && (char.IsLetterOrDigit(path[i]) || path[i] is '_' or '-'))
        {
            i++;
        }

        return i > from ? path[from..i] : null;
    }

    private static Grpc.Core.RpcException Bad(string path) => FakeErrors.WrongInput($"Invalid JSON path: {path}");

    private sealed record Step(string? Key, int? Index, bool Wildcard);
}
