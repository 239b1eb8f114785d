using ClientTour;

// Usage: dotnet run --project samples/ClientTour -- http://127.0.0.1:2379
var endpoints = args.Length > 0 ? args[0] : "http://127.0.0.1:2379";
await Tour.RunAsync(endpoints, Console.Out);
