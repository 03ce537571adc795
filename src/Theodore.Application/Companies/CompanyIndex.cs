using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Theodore.Application.Embeddings;
using Theodore.Application.Indexes;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Companies;

/// <summary>
/// Which index holds the companies and which generator fills it, checked against each other: the index records the
/// contract of the generator that made its vectors (model, version, dimension, normalization), and a generator with
/// another contract is refused with <see cref="EmbeddingContractViolationException"/> before it reads or writes.
/// The index is created on first use. Reads take a lease on the current binding; writes also take a shared slot of
/// the write gate, which a re-embed closes for one batch at a time so no write slips between its read and its copy.
/// </summary>
public sealed partial class CompanyIndex : IIndexChangeListener, IAsyncDisposable
{
    private const int WriteSlots = 1024;

    private readonly IVectorStorage _storage;
    private readonly CompanyCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _revalidateAfter;
    private readonly SemaphoreSlim _bindLock = new(1, 1);
    private readonly SemaphoreSlim _writeGate = new(WriteSlots, WriteSlots);
    private readonly SemaphoreSlim _exclusive = new(1, 1);
    private CompanyBinding? _active;
    private CompanyBinding? _target;
    private readonly Func<IEmbeddingGenerator<string, Embedding<float>>> _configuredGenerator;
    private IEmbeddingGenerator<string, Embedding<float>>? _generator;
    private bool _ownsGenerator;

    /// <summary>Over <paramref name="storage"/>; <paramref name="generator"/> gives the configured generator, asked for only when an index must be checked or filled.</summary>
    public CompanyIndex(
        IVectorStorage storage,
        Func<IEmbeddingGenerator<string, Embedding<float>>> generator,
        CompaniesOptions options,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _configuredGenerator = generator;
        _time = time;
        _logger = loggers.CreateLogger(Behaviors.ApplicationLog.Category);
        Name = options.IndexName;
        _catalog = new CompanyCatalog(storage, Name);
        _revalidateAfter = TimeSpan.FromSeconds(Math.Max(0, options.RevalidateSeconds));
        BatchSize = Math.Max(1, options.BatchSize);
    }

    /// <summary>The configured (logical) name; the records live in it or, after a re-embed, in <c>{Name}-r{n}</c>.</summary>
    public IndexName Name { get; }

    public int BatchSize { get; }

    internal IVectorStorage Storage => _storage;

    /// <summary>The binding in use now, without checking it (stats, re-embed); null before the first check.</summary>
    internal CompanyBinding? Active => Volatile.Read(ref _active);

    /// <summary>
    /// Checks the index against the generator now (creating the index when there is none): what the host calls at
    /// start so a mismatch stops it before it serves. Throws <see cref="EmbeddingContractViolationException"/>.
    /// </summary>
    public async Task<CompanyBinding> EnsureAsync(CancellationToken cancellationToken)
    {
        var binding = Volatile.Read(ref _active);
        if (binding is not null && !IsStale(binding))
        {
            return binding;
        }

        await _bindLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            binding = Volatile.Read(ref _active);
            if (binding is not null && !IsStale(binding))
            {
                return binding;
            }

            var physical = binding?.Index ?? await _catalog.ReadActiveAsync(cancellationToken).ConfigureAwait(false) ?? Name;
            var contract = binding?.Contract ?? GeneratorContract.For(Generator);
            var info = await DescribeOrCreateAsync(physical, contract, cancellationToken).ConfigureAwait(false);
            return Bind(binding, physical, contract, info.Definition);
        }
        finally
        {
            _bindLock.Release();
        }
    }

    /// <summary>
    /// What the host runs before it serves: when a companies index exists, the configured generator must match it
    /// (<see cref="EmbeddingContractViolationException"/> otherwise, saying what to do). When none exists yet nothing is
    /// created and no model is loaded; the first write creates it.
    /// </summary>
    public async Task CheckAtStartAsync(CancellationToken cancellationToken)
    {
        await _bindLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var physical = await _catalog.ReadActiveAsync(cancellationToken).ConfigureAwait(false) ?? Name;
            IndexInfo info;
            try
            {
                info = await _storage.DescribeIndexAsync(physical, cancellationToken).ConfigureAwait(false);
            }
            catch (IndexNotFoundException)
            {
                return;
            }

            Bind(null, physical, GeneratorContract.For(Generator), info.Definition);
        }
        finally
        {
            _bindLock.Release();
        }
    }

    private IEmbeddingGenerator<string, Embedding<float>> Generator => _generator ??= _configuredGenerator();

    private CompanyBinding Bind(CompanyBinding? binding, IndexName physical, GeneratorContract contract, IndexDefinition definition)
    {
        ThrowIfMismatch(definition, contract);
        if (binding is null || binding.Index != physical)
        {
            binding = new CompanyBinding(physical, Generator, contract, _ownsGenerator);
            Volatile.Write(ref _active, binding);
        }

        binding.ValidatedAtTicks = _time.GetTimestamp();
        return binding;
    }

    /// <summary>A lease on the checked binding for one read; dispose it when the request is done with the index.</summary>
    public async Task<Lease> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var binding = await EnsureAsync(cancellationToken).ConfigureAwait(false);
            binding.AddLease();
            if (ReferenceEquals(binding, Volatile.Read(ref _active)))
            {
                return new Lease(binding, null, null);
            }

            binding.ReleaseLease(); // switched meanwhile: lease the new one
        }
    }

    /// <summary>
    /// A lease for one write: the checked binding, and the index a running re-embed is filling, which must get the
    /// write too. Holds a shared slot of the write gate until disposed.
    /// </summary>
    public async Task<Lease> WriteAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lease = await ReadAsync(cancellationToken).ConfigureAwait(false);
            return new Lease(lease.Binding, Volatile.Read(ref _target), _writeGate);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
    }

    /// <summary>Closes the write gate: waits for the writes in flight, then holds every slot until disposed.</summary>
    internal async Task<IDisposable> ExclusiveAsync(CancellationToken cancellationToken)
    {
        await _exclusive.WaitAsync(cancellationToken).ConfigureAwait(false);
        var taken = 0;
        try
        {
            for (; taken < WriteSlots; taken++)
            {
                await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return new GateHold(this, taken);
        }
        catch
        {
            if (taken > 0)
            {
                _writeGate.Release(taken);
            }

            _exclusive.Release();
            throw;
        }
    }

    /// <summary>From now on writes go to <paramref name="target"/> too. Call with the gate closed.</summary>
    internal void StartFilling(CompanyBinding target) => Volatile.Write(ref _target, target);

    /// <summary>Writes stop going to the re-embed's index (it failed or was abandoned). Call with the gate closed.</summary>
    internal void StopFilling() => Volatile.Write(ref _target, null);

    /// <summary>
    /// Makes <paramref name="target"/> the companies index: recorded in the catalog first (so a restart finds it),
    /// then used by every new request. Call with the gate closed. Returns the binding it replaced.
    /// </summary>
    internal async Task<CompanyBinding> SwitchToAsync(CompanyBinding target, CancellationToken cancellationToken)
    {
        await _bindLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = Volatile.Read(ref _active) ?? throw new InvalidOperationException("The companies index has not been checked yet.");
            await _catalog.WriteActiveAsync(target.Index, cancellationToken).ConfigureAwait(false);
            target.ValidatedAtTicks = _time.GetTimestamp();
            _generator = target.Generator;
            _ownsGenerator = target.OwnsGenerator;
            Volatile.Write(ref _active, target);
            Volatile.Write(ref _target, null);
            LogSwitched(_logger, previous.Index.Value, target.Index.Value, target.Contract.Contract.Model);
            return previous;
        }
        finally
        {
            _bindLock.Release();
        }
    }

    /// <summary>Waits until no request holds <paramref name="binding"/>, then drops its index and its own generator.</summary>
    internal async Task RetireAsync(CompanyBinding binding, CancellationToken cancellationToken)
    {
        while (binding.Leases > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await _storage.DeleteIndexAsync(binding.Index, cancellationToken).ConfigureAwait(false);
        }
        catch (IndexNotFoundException)
        {
            // gone already: nothing to reclaim
        }

        if (binding.OwnsGenerator)
        {
            binding.Generator.Dispose();
        }
    }

    /// <summary>The next index name a re-embed fills: <c>{Name}-r{n+1}</c> after <c>{Name}-r{n}</c>, <c>{Name}-r2</c> after <c>{Name}</c>.</summary>
    internal IndexName NextPhysicalName(IndexName current)
    {
        var prefix = Name.Value + "-r";
        var generation = current.Value.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(current.Value.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;
        return IndexName.Parse(prefix + (generation + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A binding of <paramref name="generator"/> to <paramref name="index"/> (not yet created), owning the generator.</summary>
    internal static CompanyBinding Bind(IndexName index, IEmbeddingGenerator<string, Embedding<float>> generator) =>
        new(index, generator, GeneratorContract.For(generator), ownsGenerator: true);

    public void IndexChanged(IndexName index)
    {
        if (Volatile.Read(ref _active) is { } binding && binding.Index == index)
        {
            binding.ValidatedAtTicks = 0; // checked again by the next request
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsGenerator)
        {
            _generator?.Dispose();
        }

        if (Volatile.Read(ref _target) is { OwnsGenerator: true } target)
        {
            target.Generator.Dispose();
        }

        _bindLock.Dispose();
        _exclusive.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Every way the index differs from the generator, as one error naming both contracts.</summary>
    internal static void ThrowIfMismatch(IndexDefinition index, GeneratorContract generator)
    {
        var differences = generator.DifferencesFrom(index);
        if (differences.Count == 0)
        {
            return;
        }

        var recorded = index.Embedding is { } e
            ? $"model '{e.Model}' version '{e.Version}', {index.Dimension}-d, normalize {e.Normalize}"
            : $"no embedding contract, {index.Dimension}-d";
        var configured = $"model '{generator.Contract.Model}' version '{generator.Contract.Version}', {generator.Dimension}-d, normalize {generator.Contract.Normalize}";
        throw new EmbeddingContractViolationException(
            [new RequestError("embedding", ErrorCodes.EmbeddingContractViolation,
                $"The companies index '{index.Name.Value}' was made with {recorded}; the configured embedding generator is {configured} ({string.Join("; ", differences)}). " +
                "Either configure the generator the index was made with (Embeddings:Provider and its Model) and, to change models, re-embed from there (POST /v1/companies/reembed, or `theodore reembed`), or delete the index to start over.")])
        {
            Index = index.Name.Value,
            Operation = "companies",
        };
    }

    private bool IsStale(CompanyBinding binding) =>
        binding.ValidatedAtTicks == 0 || _time.GetElapsedTime(binding.ValidatedAtTicks) > _revalidateAfter;

    private async Task<IndexInfo> DescribeOrCreateAsync(IndexName index, GeneratorContract contract, CancellationToken cancellationToken)
    {
        try
        {
            return await _storage.DescribeIndexAsync(index, cancellationToken).ConfigureAwait(false);
        }
        catch (IndexNotFoundException)
        {
            try
            {
                var created = await _storage.CreateIndexAsync(contract.ToIndexDefinition(index), cancellationToken).ConfigureAwait(false);
                LogCreated(_logger, index.Value, contract.Contract.Model, contract.Dimension);
                return created;
            }
            catch (IndexAlreadyExistsException)
            {
                return await _storage.DescribeIndexAsync(index, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 1010, EventName = "CompanyIndexCreated", Level = LogLevel.Information, Message = "Created the companies index {Index} for {Model} ({Dimension}-d)")]
    private static partial void LogCreated(ILogger logger, string index, string model, int dimension);

    [LoggerMessage(EventId = 1011, EventName = "CompaniesSwitched", Level = LogLevel.Information, Message = "Companies switched from {Previous} to {Current} ({Model})")]
    private static partial void LogSwitched(ILogger logger, string previous, string current, string model);

    /// <summary>A request's hold on a binding (and a write slot, for writes).</summary>
    public sealed class Lease : IDisposable
    {
        private readonly SemaphoreSlim? _writeSlot;
        private int _disposed;

        internal Lease(CompanyBinding binding, CompanyBinding? target, SemaphoreSlim? writeSlot)
        {
            Binding = binding;
            Target = target;
            _writeSlot = writeSlot;
        }

        public CompanyBinding Binding { get; }

        /// <summary>The index a running re-embed is filling; a write goes there too.</summary>
        public CompanyBinding? Target { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Binding.ReleaseLease();
                _writeSlot?.Release();
            }
        }
    }

    private sealed class GateHold(CompanyIndex owner, int slots) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner._writeGate.Release(slots);
                owner._exclusive.Release();
            }
        }
    }
}
