using System.Security.Cryptography;
using System.Text;
using Theodore.Core.Domain.Companies;

namespace Theodore.Application.Companies;

/// <summary>
/// The text a company's vector is made from: its description, then its industry and tags, which say in a word what a
/// description may leave implicit. The name is left out: an invented name carries no meaning a model could use and
/// would pull companies with similar-sounding names together. Its hash is stored with the record, so a write whose
/// text did not change keeps the stored vector instead of embedding again.
/// </summary>
public static class CompanyText
{
    public static string For(Company company)
    {
        ArgumentNullException.ThrowIfNull(company);
        var text = new StringBuilder(company.Description?.Length + 64 ?? 128);
        text.Append(company.Description ?? company.Name);
        if (company.Industry is { } industry)
        {
            AppendSentence(text, "Industry: ", industry);
        }

        if (company.Tags.Count > 0)
        {
            AppendSentence(text, "Tags: ", string.Join(", ", company.Tags));
        }

        return text.ToString();
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 text.</summary>
    public static string Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static void AppendSentence(StringBuilder text, string label, string value)
    {
        if (text.Length > 0 && !char.IsWhiteSpace(text[^1]))
        {
            text.Append(text[^1] is '.' or '!' or '?' ? " " : ". ");
        }

        text.Append(label).Append(value).Append('.');
    }
}
