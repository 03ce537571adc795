using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Theodore.Adapters.Embeddings.Tests;

/// <summary>
/// Vectors the model produced once, checked in under Reference/. When the file is missing the test writes it and fails,
/// so a fresh file is always looked at and committed before it can vouch for anything.
/// </summary>
internal static class ReferenceVectorFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string PathFor(string name, [CallerFilePath] string sourceFile = "") =>
        Path.Combine(Path.GetDirectoryName(sourceFile)!, "Reference", name);

    public static Dictionary<string, float[]>? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, float[]>>(File.ReadAllText(path)) : null;

    public static void Write(string path, IReadOnlyDictionary<string, float[]> vectors) =>
        File.WriteAllText(path, JsonSerializer.Serialize(vectors, Indented) + Environment.NewLine);
}
