using Theodore.Api;
using Theodore.Application;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddTheodoreApplication();
builder.Services.AddTheodoreStorage(builder.Configuration);
builder.Services.AddTheodoreApi();

var app = builder.Build();

// Resolving the storage now recovers a durable backend before the server listens: a corrupt or locked data
// directory stops the start with its reason, and /health/ready cannot answer before recovery has finished.
app.Services.GetRequiredService<Theodore.Core.Ports.IVectorStorage>();
app.UseTheodoreApi();
await app.RunAsync().ConfigureAwait(false);

/// <summary>The API host; public so WebApplicationFactory can start it in tests.</summary>
public partial class Program;
