namespace Theodore.Core.Domain.Companies;

/// <summary>Headcount bands (EU SME definition plus enterprise).</summary>
public enum CompanySize
{
    Micro,
    Small,
    Medium,
    Large,
    Enterprise,
}
