using EtcdConfiguration.Client;
using EtcdConfiguration.Client.Concurrency;
using Mutex = EtcdConfiguration.Client.Concurrency.Mutex;

namespace RecipesTour;

/// <summary>
/// The concurrency recipes (session, mutex, election) and namespaces, each in a few lines against a running etcd.
/// The README quotes the regions between <c>// snippet:</c> markers verbatim, and a test runs the tour and checks that.
/// </summary>
public static class Recipes
{
    /// <summary>Runs every recipe in order, writing what each one sees to <paramref name="output"/>.</summary>
    /// <param name="client">A connected client.</param>
    /// <param name="output">Where the tour reports.</param>
    public static async Task RunAsync(EtcdClient client, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(output);

        // snippet: session
        // A lease kept alive in the background; locks and candidacies hang on it.
        await using var session = await Session.CreateAsync(client, new SessionOptions { TtlSeconds = 10 });
        session.Lost += (_, e) => Console.Error.WriteLine(e.Exception.Message); // never silent
        output.WriteLine($"session lease {session.LeaseId:x}, lost: {session.IsLost}");
        // end snippet

        await MutexAsync(client, session, output);
        await ElectionAsync(session, output);
        await NamespaceAsync(client, output);
    }

    private static async Task MutexAsync(EtcdClient client, Session session, TextWriter output)
    {
        // snippet: mutex
        var mutex = new Mutex(session, "/locks/report"); // the same lock as `etcdctl lock /locks/report`
        await mutex.LockAsync();
        try
        {
            output.WriteLine($"holding {mutex.Key}");
            // Writes guarded by IsOwner fail, instead of racing the next holder, if the lock was lost meanwhile.
            var write = await client.KV.Txn().If(mutex.IsOwner()).Then(Op.Put("/report/owner", mutex.Key)).CommitAsync();
            output.WriteLine($"guarded write applied: {write.Succeeded}");
        }
        finally
        {
            await mutex.UnlockAsync();
        }
        // end snippet
    }

    private static async Task ElectionAsync(Session session, TextWriter output)
    {
        // snippet: election
        var election = new Election(session, "/elections/scheduler"); // as `etcdctl elect /elections/scheduler`
        await election.CampaignAsync("node-1"); // returns once elected
        await election.ProclaimAsync("node-1 at 10.0.0.7");
        var leader = await election.LeaderAsync();
        output.WriteLine($"leader {leader?.Key} = {leader?.Value}");
        await election.ResignAsync(); // the next candidate in line is elected
        // end snippet
    }

    private static async Task NamespaceAsync(EtcdClient client, TextWriter output)
    {
        // snippet: namespace
        var tenant = client.WithNamespace("/tenant-a/");
        await tenant.KV.PutAsync("db", "postgres://a"); // stored as /tenant-a/db
        var all = await tenant.KV.GetAsync("", new GetOptions { FromKey = true }); // every key of the tenant, no more
        output.WriteLine($"tenant keys: {string.Join(", ", all.Kvs.Select(kv => kv.Key))}");
        var stored = await client.KV.GetAsync("/tenant-a/db");
        output.WriteLine($"stored as {stored.Kvs[0].Key}");
        // end snippet
    }
}
