namespace Theodore.Api.Tests.Companies.Quality;

/// <summary>Where the sample companies and their hand labels are, found from the repository root.</summary>
internal static class SampleData
{
    public static string CompaniesPath => Path.Combine(RepositoryRoot, "docs", "examples", "companies.jsonl");

    public static string LabelsPath => Path.Combine(RepositoryRoot, "tests", "Theodore.Api.Tests", "Companies", "Quality", "labelled-peers.json");

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Theodore.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"Theodore.sln not found above {AppContext.BaseDirectory}");
        }
    }
}
