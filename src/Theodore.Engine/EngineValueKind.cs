namespace Theodore.Engine;

/// <summary>The kinds of metadata value the engine stores.</summary>
public enum EngineValueKind
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>A finite double.</summary>
    Number,

    /// <summary>A boolean.</summary>
    Boolean,

    /// <summary>A list of strings.</summary>
    TextList,
}
