using System.CommandLine;

namespace Theodore.Cli.Commands;

/// <summary>Options that more than one command takes, checked the way the API checks them.</summary>
internal static class Options
{
    public static Option<int?> TopK()
    {
        var option = new Option<int?>("--top-k") { Description = "How many matches (1-100; the API's default is 10)" };
        Check(option, value => value is < 1 or > 100, "--top-k must be between 1 and 100.");
        return option;
    }

    public static Option<double?> MinScore()
    {
        var option = new Option<double?>("--min-score") { Description = "Only matches at least this similar (cosine, -1 to 1)" };
        Check(option, value => value is { } s && (double.IsNaN(s) || s < -1 || s > 1), "--min-score must be between -1 and 1.");
        return option;
    }

    /// <summary>
    /// Adds <paramref name="error"/> when the value is <paramref name="wrong"/>. The parser runs validators even on a
    /// value it could not convert ("--top-k many"); that one has its own error already, so it is left alone here.
    /// </summary>
    public static void Check<T>(Option<T> option, Func<T?, bool> wrong, string error)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(r =>
        {
            T? value;
            try
            {
                value = r.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return;
            }

            if (wrong(value))
            {
                r.AddError(error);
            }
        });
    }
}
