using Theodore.Benchmarks;

return args.Length > 0 && args[0] == "ann"
    ? AnnBenchmark.Run(BenchmarkArguments.Parse(args.AsSpan(1)))
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: ann --data DIR --name NAME [--m 16] [--ef-construction 200] [--threads 2] [--ef 10,20,40,80,160,320]");
    Console.Error.WriteLine("           [--filter-selectivity 0.1] [--mixed [--writer-rate 1000] [--seconds 5]]");
    return 2;
}
