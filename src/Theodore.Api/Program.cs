using Theodore.Api;
using Theodore.Api.Hosting;
using Theodore.Application;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddTheodoreApplication();
builder.Services.AddTheodoreStorage(builder.Configuration);
builder.Services.AddTheodoreCompanies(builder.Configuration);
builder.Services.AddTheodoreApi();
builder.Services.AddTheodoreObservability(builder.Configuration);

var app = builder.Build();

app.UseTheodoreApi();
await app.RunAsync().ConfigureAwait(false);

/// <summary>The API host; public so WebApplicationFactory can start it in tests.</summary>
public partial class Program;
