using EchoBridge.Bench.Cli;
using EchoBridge.Bench.Suite;

// `suite` runs every peer side by side (its own options); every other mode is one load run.
return args is ["suite", .. var rest] ? await new SuiteCommand().InvokeAsync(rest) : await new BenchCommand().InvokeAsync(args);
