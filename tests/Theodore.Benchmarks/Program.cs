using BenchmarkDotNet.Running;
using Theodore.Benchmarks;

return args.Length > 0 ? args[0] switch
{
    "ann" => AnnBenchmark.Run(BenchmarkArguments.Parse(args.AsSpan(1))),
    "usearch" => UsearchBenchmark.Run(BenchmarkArguments.Parse(args.AsSpan(1))),
    "micro" => RunMicro(args[1..]),
    "snapshot-load" => SnapshotLoadBenchmark.Run(100_000, 384, 16, 100),
    "durability" => await DurabilityBenchmark.RunAsync(args.AsMemory(1)),
    "http-load" => await HttpLoadBenchmark.RunAsync(args.AsMemory(1)),
    "decorators" => await DecoratorBenchmark.RunAsync(args.AsMemory(1)),
    "embeddings" => await EmbeddingBenchmark.RunAsync(args.AsMemory(1)),
    "companies" => await CompanyBenchmark.RunAsync(args.AsMemory(1)),
    "rebuild" => await RebuildBenchmark.RunAsync(args.AsMemory(1)),
    "estimate" => EstimateBenchmark.Run(BenchmarkArguments.Parse(args.AsSpan(1))),
    _ => Usage(),
} : Usage();

static int RunMicro(string[] rest)
{
    // Reports go to the temp directory so a run never leaves files in the repository.
    string[] withArtifacts = rest.Contains("--artifacts", StringComparer.Ordinal)
        ? rest
        : [.. rest, "--artifacts", Path.Combine(Path.GetTempPath(), "theodore-benchmarkdotnet")];
    BenchmarkSwitcher.FromAssembly(typeof(AnnBenchmark).Assembly).Run(withArtifacts);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: ann --data DIR --name NAME [--m 16] [--ef-construction 200] [--threads 2] [--ef 10,20,40,80,160,320] [--index-cache DIR] [--passes 1] [--quantization none|int8|int4|binary] [--rerank-factor N (default per kind)] [--rerank-factors 2,4,8 (a sweep over one build)] [--vector-files DIR]");
    Console.Error.WriteLine("           [--filter-selectivity 0.1] [--mixed [--writer-rate 1100] [--seconds 5]] [--delete-fraction 0.3]");
    Console.Error.WriteLine("       usearch --data DIR --name NAME [--kinds f32,f16,i8] [--threads 2] [--passes 1] [--ef 10,20,40,80,160,320] [--index-cache DIR] (the USearch peer; built once per kind into the cache)");
    Console.Error.WriteLine("       micro [BenchmarkDotNet arguments, e.g. --filter *Distance*]");
    Console.Error.WriteLine("       snapshot-load (100k x 384 random vectors, M=16, efConstruction=100: build vs graph snapshot load)");
    Console.Error.WriteLine("       http-load --data DIR --name NAME [--url http://localhost:5080] [--count N] [--writers 4] [--batch 500]");
    Console.Error.WriteLine("           [--connections 16] [--wrk-threads 2] [--duration 10] [--runs 1] [--skip-ingest] (needs wrk; start the API first)");
    Console.Error.WriteLine("       decorators [--count 20000] [--dim 384] [--runs 5] [--seconds 3] [--threads N] (bare native vs full decorator stack; cached hit vs miss)");
    Console.Error.WriteLine("       embeddings [--count 1000] [--runs 3] [--batch 32] [--concurrency N] [--intra-op 1] (local models: MiniLM vs ArcticXs, texts/s and one-text latency)");
    Console.Error.WriteLine("       companies [--count 10000] [--chunk 500] [--duration 20] [--clients 4] [--model ArcticXs|MiniLM] [--rounds 2] [--warmup 5] [--solo 5] [--profile true] [--set Key=Value]");
    Console.Error.WriteLine("           (issue 12: raw model texts/s vs import through the API in process on Kestrel, then /similar and /search under load)");
    Console.Error.WriteLine("       rebuild [--data DIR [--name emb-384-angular]] [--count 100000] [--runs 3] [--writer-rate 200] [--off-seconds 0] [--ef-construction 100] [--dir PATH]");
    Console.Error.WriteLine("           (issue 13: search p99 during an online rebuild vs without, one searcher and one writer throughout; durable)");
    Console.Error.WriteLine("       durability [--count 100000] [--dim 384] [--batch 100] [--tail 10000] [--ef-construction 200] [--dir PATH]");
    return 2;
}
