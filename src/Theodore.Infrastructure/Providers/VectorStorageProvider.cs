using Microsoft.Extensions.DependencyInjection;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Providers;

/// <summary>A backend the composition root knows: how to register its services and how to resolve its adapter.</summary>
public sealed record VectorStorageProvider(string Name, Action<IServiceCollection> Register, Func<IServiceProvider, IVectorStorage> Resolve);
