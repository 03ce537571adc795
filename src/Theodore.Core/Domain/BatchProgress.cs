namespace Theodore.Core.Domain;

/// <summary>Progress of a long batch, reported after each chunk.</summary>
public readonly record struct BatchProgress(int Completed, int Failed, int Total);
