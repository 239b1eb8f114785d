// What a user does with the packages: start etcd (with the test kit), write a key with the client, read it
// through AddEtcd, change it and see the change arrive without a restart. Exit code 0 means every step held.
using System.Reflection;
using EtcdConfiguration;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

var wait = TimeSpan.FromSeconds(30);

await using var cluster = await EtcdCluster.StartAsync();
var endpoints = cluster.Endpoints;
Console.WriteLine($"etcd started by EtcdConfiguration.Testing at {endpoints}");

foreach (var assembly in new[] { typeof(EtcdClient).Assembly, typeof(EtcdConfigurationSource).Assembly })
{
    var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
    Console.WriteLine($"{assembly.GetName().Name} {version} from {assembly.Location}");
}

await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions { Endpoints = EtcdClient.SplitEndpoints(endpoints) });
await client.KV.PutAsync("/pack-check/Greeting", "hello");

var configuration = new ConfigurationBuilder()
    .AddEtcd(endpoints, "/pack-check/", optional: false, reloadOnChange: true)
    .Build();
if (configuration["Greeting"] != "hello")
{
    Console.Error.WriteLine($"AddEtcd loaded Greeting = '{configuration["Greeting"]}', expected 'hello'.");
    return 1;
}

Console.WriteLine("AddEtcd loaded Greeting = hello");

var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var registration = Microsoft.Extensions.Primitives.ChangeToken.OnChange(
    configuration.GetReloadToken,
    () =>
    {
        if (configuration["Greeting"] == "changed live")
        {
            changed.TrySetResult();
        }
    });
await client.KV.PutAsync("/pack-check/Greeting", "changed live");
try
{
    await changed.Task.WaitAsync(wait);
}
catch (TimeoutException)
{
    Console.Error.WriteLine($"The change to Greeting did not reach the configuration within {wait.TotalSeconds} s; it holds '{configuration["Greeting"]}'.");
    return 1;
}

Console.WriteLine("The change arrived live: Greeting = changed live");
(configuration as IDisposable)?.Dispose();
return 0;
