using Theodore.Cli;

return await TheodoreCli.RunAsync(args, CliEnvironment.FromProcess()).ConfigureAwait(false);
