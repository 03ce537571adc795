using System.CommandLine;
using Theodore.Cli.Client;
using Theodore.Cli.Output;

namespace Theodore.Cli;

/// <summary>
/// Turns a parse result into a <see cref="CliContext"/> (option, then environment variable, then default) and runs a
/// command's action inside the one place that maps expected failures to a message and an exit code.
/// </summary>
internal sealed class CliSetup(CliEnvironment env, GlobalOptions options)
{
    public GlobalOptions Options { get; } = options;

    public void SetAction(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, ct) => RunAsync(parse, action, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<CliContext, ParseResult, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        var error = env.ErrorConsole;
        var url = FirstSet(parse.GetValue(Options.Url), env.Variables(GlobalOptions.UrlVariable)) ?? GlobalOptions.DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            Render.Error(error, $"--url: '{url}' is not an absolute http(s) address");
            return ExitCodes.Usage;
        }

        // A base address without a trailing slash would drop its last segment from relative request paths.
        baseAddress = new Uri(baseAddress.AbsoluteUri.TrimEnd('/') + "/");
        var apiKey = FirstSet(parse.GetValue(Options.ApiKey), env.Variables(GlobalOptions.ApiKeyVariable));
        using var http = env.Handler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        http.BaseAddress = baseAddress;
        http.Timeout = env.RequestTimeout;
        var context = new CliContext(new TheodoreClient(http, apiKey), env.Out, error, parse.GetValue(Options.Json), env.PollInterval);
        try
        {
            return await action(context, parse, ct).ConfigureAwait(false);
        }
        catch (CliUsageException e)
        {
            Render.Error(error, e.Message);
            return ExitCodes.Usage;
        }
        catch (TheodoreUnreachableException e)
        {
            Report(error, e);
            return ExitCodes.Unreachable;
        }
        catch (TheodoreApiException e) when (e.IsKeyRefused)
        {
            Report(error, e);
            return ExitCodes.Unreachable;
        }
        catch (TheodoreApiException e)
        {
            Render.Problem(error, e);
            return ExitCodes.Failed;
        }
    }

    /// <summary>The one line for an API that cannot be used at all.</summary>
    public static void Report(Spectre.Console.IAnsiConsole console, Exception error)
    {
        switch (error)
        {
            case TheodoreUnreachableException e:
                Render.Error(console, $"cannot reach Theodore at {e.BaseAddress}: {e.Reason}; is it running? (dotnet run --project src/Theodore.Api)");
                break;
            case TheodoreApiException { IsKeyRefused: true } e:
                var how = e.Problem?.Detail ?? e.Problem?.Title ?? e.Body;
                Render.Error(console, $"the API refused the key ({(int)e.Status} {e.Problem?.Code ?? e.Status.ToString()}: {how}); set --api-key or ${GlobalOptions.ApiKeyVariable}");
                break;
            case TheodoreApiException e:
                Render.Problem(console, e);
                break;
            default:
                Render.Error(console, error.Message);
                break;
        }
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
