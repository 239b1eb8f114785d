using EtcdConfiguration.Client;
using LeaderWorker;

// Usage: dotnet run --project samples/LeaderWorker -- http://127.0.0.1:2379 worker-1
// Start it twice: one instance works, the other waits; stop the working one (Ctrl+C) and the other takes over.
var endpoints = args.Length > 0 ? args[0] : "http://127.0.0.1:2379";
var instance = args.Length > 1 ? args[1] : $"worker-{Environment.ProcessId}";
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};

await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions { Endpoints = EtcdClient.SplitEndpoints(endpoints) });
var worker = new Worker(client, "/samples/leader-worker", instance);
await worker.RunAsync(
    async token =>
    {
        Console.WriteLine($"{instance} leads and works");
        for (var tick = 1; ; tick++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), token);
            Console.WriteLine($"{instance}: tick {tick}");
        }
    },
    stopping.Token);
Console.WriteLine($"{instance} stopped");
