using ClientControls;

// Usage: dotnet run --project samples/ClientControls -- http://127.0.0.1:2379
var endpoints = args.Length > 0 ? args[0] : "http://127.0.0.1:2379";
await Controls.RunAsync(endpoints, Console.Out);
