using System.Globalization;
using System.Text;
using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// <see cref="Count"/> etcd keys under <see cref="Prefix"/>, <c>S0000/K00</c>, <c>S0000/K01</c>..., each holding a
/// JSON object of about 100 bytes that flattens to six configuration keys; and the same content as one
/// appsettings-style file for the JSON file provider.
/// </summary>
internal sealed class DataSet(string prefix, int count)
{
    /// <summary>Keys written per transaction while seeding (etcd's default <c>--max-txn-ops</c> is 128).</summary>
    private const int SeedBatch = 128;

    public string Prefix { get; } = prefix;

    public int Count { get; } = count;

    /// <summary>Configuration keys the data flattens to.</summary>
    public int ConfigurationKeys => Count * 6;

    public static string Section(int i) => string.Create(CultureInfo.InvariantCulture, $"S{i / 100:D4}");

    public static string Item(int i) => string.Create(CultureInfo.InvariantCulture, $"K{i % 100:D2}");

    /// <summary>The configuration path of key <paramref name="i"/>'s object, such as <c>S0001:K23</c>.</summary>
    public static string ConfigurationPath(int i) => Section(i) + ":" + Item(i);

    /// <summary>A value of about 100 bytes; <paramref name="tag"/> makes each write distinct.</summary>
    public static string Value(int i, string tag) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"Name":"{{tag}}-{{i:D6}}","Enabled":true,"Weight":{{i % 1000}},"Tags":["alpha","beta"],"Url":"https://svc.example/items/{{i}}"}""");

    public string Key(int i) => Prefix + Section(i) + "/" + Item(i);

    /// <summary>Writes every key in transactions of <see cref="SeedBatch"/> puts, a few transactions at a time.</summary>
    public async Task SeedAsync(dotnet_etcd.EtcdClient peer)
    {
        var batches = Enumerable.Range(0, (Count + SeedBatch - 1) / SeedBatch);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, cancellationToken) =>
        {
            var txn = new TxnRequest();
            for (var i = batch * SeedBatch; i < Math.Min(Count, (batch + 1) * SeedBatch); i++)
            {
                txn.Success.Add(new RequestOp
                {
                    RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(Key(i)), Value = ByteString.CopyFromUtf8(Value(i, "seed")) },
                });
            }

            await peer.TransactionAsync(txn, cancellationToken: cancellationToken);
        });
    }

    /// <summary>Writes the seeded content as one nested JSON document, as an appsettings.json would hold it.</summary>
    public void WriteJsonFile(string path)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        for (var section = 0; section * 100 < Count; section++)
        {
            writer.WriteStartObject(Section(section * 100));
            for (var i = section * 100; i < Math.Min(Count, (section + 1) * 100); i++)
            {
                writer.WritePropertyName(Item(i));
                writer.WriteRawValue(Encoding.UTF8.GetBytes(Value(i, "seed")));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
