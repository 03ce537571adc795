using Microsoft.Extensions.Options;
using Theodore.Adapters.Embeddings.Cohere;
using Theodore.Adapters.Embeddings.OpenAI;
using Theodore.Adapters.Embeddings.Remote;

namespace Theodore.Adapters.Embeddings;

/// <summary>
/// Checked at start: the provider is a known one, the local model is a known one, and the section of the chosen
/// remote provider can work (an API key where one is needed, an absolute base URL, a dimension for a model this
/// adapter does not know, a dimension the model can produce). The sections of providers not chosen are not required.
/// </summary>
internal sealed class EmbeddingsOptionsValidator(
    IOptions<LocalEmbeddingOptions> local,
    IOptions<OpenAIEmbeddingOptions> openAI,
    IOptions<CohereEmbeddingOptions> cohere) : IValidateOptions<EmbeddingsOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(failures, () =>
        {
            if (LocalModel.Find(local.Value.Model) is null)
            {
                failures.Add($"{LocalEmbeddingOptions.SectionName}:Model: {LocalModel.UnknownMessage(local.Value.Model)}");
            }
        });
        switch (EmbeddingProviders.Canonical(options.Provider))
        {
            case EmbeddingProviders.OpenAI:
                Check(failures, () => RemoteModels.ForOpenAI(openAI.Value));
                break;
            case EmbeddingProviders.Cohere:
                Check(failures, () => RemoteModels.ForCohere(cohere.Value));
                break;
            case null:
                failures.Add(EmbeddingProviders.UnknownMessage(options.Provider));
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, Action check)
    {
        try
        {
            check();
        }
        catch (OptionsValidationException)
        {
            // The section failed its own validation, which reports it at start too; saying it twice helps no one.
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            failures.Add(e.Message);
        }
    }
}
