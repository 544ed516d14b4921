using EchoBridge.Bench.Cli;

return await new BenchCommand().InvokeAsync(args);
