using EchoBridge.Bench.Cli;
using EchoBridge.Bench.Hostile;
using EchoBridge.Bench.Suite;

// `suite` runs every peer side by side, `hostile` meets the server with hostile clients (each its own options);
// every other mode is one load run.
return args switch
{
    ["suite", .. var rest] => await new SuiteCommand().InvokeAsync(rest),
    ["hostile", .. var rest] => await new HostileCommand().InvokeAsync(rest),
    _ => await new BenchCommand().InvokeAsync(args),
};
