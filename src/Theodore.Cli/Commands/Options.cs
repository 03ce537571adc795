using System.CommandLine;

namespace Theodore.Cli.Commands;

/// <summary>Options that more than one command takes, checked the way the API checks them.</summary>
internal static class Options
{
    public static Option<int?> TopK()
    {
        var option = new Option<int?>("--top-k") { Description = "How many matches (1-100; the API's default is 10)" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 100)
            {
                r.AddError("--top-k must be between 1 and 100.");
            }
        });
        return option;
    }

    public static Option<double?> MinScore()
    {
        var option = new Option<double?>("--min-score") { Description = "Only matches at least this similar (cosine, -1 to 1)" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } s && (double.IsNaN(s) || s < -1 || s > 1))
            {
                r.AddError("--min-score must be between -1 and 1.");
            }
        });
        return option;
    }
}
