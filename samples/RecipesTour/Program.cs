using EtcdConfiguration.Client;
using RecipesTour;

// Usage: dotnet run --project samples/RecipesTour -- http://127.0.0.1:2379
var endpoints = args.Length > 0 ? args[0] : "http://127.0.0.1:2379";
await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions { Endpoints = EtcdClient.SplitEndpoints(endpoints) });
await Recipes.RunAsync(client, Console.Out);
