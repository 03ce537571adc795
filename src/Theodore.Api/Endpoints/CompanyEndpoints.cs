using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Theodore.Api.Contracts;
using Theodore.Api.Security;
using Theodore.Application.Companies;
using Theodore.Core.Errors;

namespace Theodore.Api.Endpoints;

/// <summary><c>/v1/companies</c>: store, import, find similar companies, search by text, re-embed (docs/companies.md).</summary>
public static class CompanyEndpoints
{
    private const string Tag = "Companies";

    public static RouteGroupBuilder MapCompanies(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var companies = v1.MapGroup("/companies").WithTags(Tag);

        companies.MapPut("/{id}", PutAsync)
            .WithName("PutCompany").WithSummary("Store a company: embedded unless its text is unchanged")
            .Accepts<CompanyInput>("application/json")
            .Produces<PutCompanyResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        companies.MapGet("/{id}", GetAsync)
            .WithName("GetCompany").WithSummary("One company").AllowReadOnlyKey()
            .Produces<CompanyResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        companies.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteCompany").WithSummary("Delete a company")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        companies.MapPost("/import", ImportAsync)
            .WithName("ImportCompanies").WithSummary("Import a JSON array or NDJSON stream of companies, with a result per item")
            .WithMetadata(new DisableRequestSizeLimitAttribute()) // read as a stream, in bounded memory
            .Accepts<CompanyInput[]>("application/json", "application/x-ndjson")
            .Produces<ImportSummaryResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        companies.MapGet("/{id}/similar", SimilarAsync)
            .WithName("SimilarCompanies").WithSummary("Companies like this one, with what they share").AllowReadOnlyKey()
            .Produces<SimilarCompaniesResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        companies.MapPost("/search", SearchAsync)
            .WithName("SearchCompanies").WithSummary("Companies that match a free-text description").AllowReadOnlyKey()
            .Accepts<SearchCompaniesRequest>("application/json")
            .Produces<SearchCompaniesResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        companies.MapGet("/stats", StatsAsync)
            .WithName("CompanyStats").WithSummary("How many companies, in which index, made by which model").AllowReadOnlyKey()
            .Produces<CompanyStatsResponse>();

        companies.MapPost("/reembed", StartReembedAsync)
            .WithName("StartReembed").WithSummary("Re-embed every company with another model, switching when done")
            .Accepts<ReembedRequest>("application/json")
            .Produces<ReembedResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        companies.MapGet("/reembed", ReembedStatusAsync)
            .WithName("ReembedStatus").WithSummary("The progress of the current or last re-embed").AllowReadOnlyKey()
            .Produces<ReembedResponse>();

        return v1;
    }

    private static async Task<Ok<PutCompanyResponse>> PutAsync(string id, CompanyInput body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(PutCompanyResponse.From(await mediator.Send(new PutCompany(id, body), cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<CompanyResponse>> GetAsync(string id, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(CompanyResponse.From(await mediator.Send(new GetCompany(id), cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> DeleteAsync(string id, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteCompany(id), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<SimilarCompaniesResponse>> SimilarAsync(
        string id,
        int? topK,
        string? industry,
        string? country,
        string? size,
        int? foundedFrom,
        int? foundedTo,
        [FromQuery(Name = "tag")] string[]? tags,
        float? minScore,
        int? timeoutMs,
        IMediator mediator,
        CancellationToken cancellationToken)
    {
        var request = new FindSimilarCompanies(id, topK, industry, country, size, foundedFrom, foundedTo, tags, minScore, timeoutMs);
        return TypedResults.Ok(SimilarCompaniesResponse.From(await mediator.Send(request, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Ok<SearchCompaniesResponse>> SearchAsync(SearchCompaniesRequest body, IMediator mediator, CancellationToken cancellationToken)
    {
        var matches = await mediator.Send(body.ToUseCase(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SearchCompaniesResponse([.. matches.Select(CompanyMatchResponse.From)]));
    }

    private static async Task<Ok<CompanyStatsResponse>> StatsAsync(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(CompanyStatsResponse.From(await mediator.Send(new GetCompanyStatistics(), cancellationToken).ConfigureAwait(false)));

    private static async Task<Accepted<ReembedResponse>> StartReembedAsync(ReembedRequest body, IMediator mediator, CancellationToken cancellationToken)
    {
        var status = await mediator.Send(new StartReembed(body.Provider, body.Model, body.Dimensions), cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted("/v1/companies/reembed", ReembedResponse.From(status));
    }

    private static async Task<Ok<ReembedResponse>> ReembedStatusAsync(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(ReembedResponse.From(await mediator.Send(new GetReembedStatus(), cancellationToken).ConfigureAwait(false)));

    /// <summary>
    /// Streams both ways: items are read as they arrive and each result is written as its batch completes, so neither
    /// the body nor the answer is ever held whole. A failure after the first result can no longer change the status
    /// code; it ends the answer with an <c>error</c> member instead of a summary.
    /// </summary>
    private static async Task ImportAsync(HttpContext context, IMediator mediator, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var request = context.Request;
        var ndjson = ImportBody.IsNdjson(request);
        if (!ndjson && !request.HasJsonContentType())
        {
            throw new BadHttpRequestException("An import body is a JSON array (application/json) or one company per line (application/x-ndjson).", StatusCodes.Status415UnsupportedMediaType);
        }

        var options = json.Value.SerializerOptions;
        var cancellationToken = context.RequestAborted;
        var items = ndjson
            ? ImportBody.ReadLinesAsync(request.BodyReader, options, cancellationToken)
            : ImportBody.ReadArrayAsync(request.Body, options, cancellationToken);

        var response = context.Response;
        var writer = new Utf8JsonWriter(response.BodyWriter);
        await using var disposeWriter = writer.ConfigureAwait(false);
        var written = 0;

        async ValueTask WriteResultAsync(CompanyImportResult result)
        {
            if (written == 0)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json; charset=utf-8";
                writer.WriteStartObject();
                writer.WriteStartArray("results");
            }

            JsonSerializer.Serialize(writer, ImportResultResponse.From(result), options);
            if (++written % 64 == 0)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        CompanyImportSummary summary;
        try
        {
            summary = await mediator.Send(new ImportCompanies(items, WriteResultAsync), cancellationToken).ConfigureAwait(false);
        }
        catch (VectorStorageException ex) when (written > 0)
        {
            writer.WriteEndArray();
            writer.WritePropertyName("error");
            JsonSerializer.Serialize(writer, new ImportErrorResponse("", ex.Code, ex.Message), options);
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (written == 0)
        {
            response.ContentType = "application/json; charset=utf-8";
            writer.WriteStartObject();
            writer.WriteStartArray("results");
        }

        writer.WriteEndArray();
        writer.WritePropertyName("summary");
        JsonSerializer.Serialize(writer, ImportSummaryResponse.From(summary), options);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
