using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>An integrity check: healthy or not, what was checked, and each kind of problem with its count.</summary>
public sealed record IntegrityResponse(string Index, bool Healthy, long RecordsChecked, long UnreachableRecords, IReadOnlyList<IntegrityProblemResponse> Problems, double TookMs)
{
    public static IntegrityResponse From(IntegrityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(
            report.Index.Value,
            report.IsHealthy,
            report.RecordsChecked,
            report.UnreachableRecords,
            [.. report.Problems.Select(p => new IntegrityProblemResponse(p.Code, p.Message, p.Count))],
            report.Took.TotalMilliseconds);
    }
}

public sealed record IntegrityProblemResponse(string Code, string Message, long Count);
