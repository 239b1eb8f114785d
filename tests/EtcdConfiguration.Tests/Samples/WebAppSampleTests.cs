using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Tests.Samples;

/// <summary>
/// samples/WebApp runs against real etcd with the writes of samples/WebApp/try-it.sh, and README.md's "Getting
/// started" quotes both files exactly, so what a new user copies is what this test runs.
/// </summary>
public sealed partial class WebAppSampleTests
{
    [Fact]
    public async Task The_sample_follows_the_try_it_writes_and_reports_flat_health_json()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        using var app = StartApp(cluster.ClientUrls[0]);
        var url = await Eventually.SomeAsync(() => app.Url, "the app listens");
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        await RunTryItAsync(cluster.ClientUrls[0]);

        await Eventually.TrueAsync(
            async () => (await http.GetStringAsync("/")).Contains("Changed live, no restart", StringComparison.Ordinal),
            "the app serves the banner the transaction wrote");
        using var page = JsonDocument.Parse(await http.GetStringAsync("/"));
        Assert.Equal(50, page.RootElement.GetProperty("maxItems").GetInt32());
        Assert.Equal(["card", "paypal"], page.RootElement.GetProperty("providers").EnumerateArray().Select(e => e.GetString()));
        Assert.True(page.RootElement.GetProperty("newCheckout").GetBoolean());

        using var health = JsonDocument.Parse(await http.GetStringAsync("/health"));
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        var data = health.RootElement.GetProperty("checks").GetProperty("etcd-configuration").GetProperty("data");
        Assert.Equal("/webapp/", data.GetProperty("prefix").GetString());
        Assert.Equal("Live", data.GetProperty("state").GetString());
        Assert.Equal(5, data.GetProperty("configurationKeys").GetInt32());
        Assert.All(data.EnumerateObject(), p => Assert.True(p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number, $"{p.Name} is {p.Value.ValueKind}"));

        // The settings-section form took the logger factory given in code.
        Assert.Contains(app.Output, l => l.Contains("etcd keys under '/webapp/'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_README_getting_started_quotes_the_sample_and_the_try_it_writes_verbatim()
    {
        var root = ReadmeSnippets.RepositoryRoot();
        var readme = Normalise(File.ReadAllText(Path.Combine(root, "README.md")));
        var program = Normalise(File.ReadAllText(Path.Combine(root, "samples", "WebApp", "Program.cs")));
        var tryIt = Normalise(File.ReadAllText(Path.Combine(root, "samples", "WebApp", "try-it.sh")));
        var writes = tryIt[tryIt.IndexOf("etcdctl put", StringComparison.Ordinal)..];

        Assert.True(readme.Contains(program, StringComparison.Ordinal), "README.md does not quote samples/WebApp/Program.cs verbatim.");
        Assert.True(readme.Contains(writes, StringComparison.Ordinal), "README.md does not quote the writes of samples/WebApp/try-it.sh verbatim.");
        var version = VersionPattern().Match(File.ReadAllText(Path.Combine(root, "Directory.Build.props"))).Groups[1].Value;
        Assert.Contains($"dotnet add package EtcdConfiguration --version {version}", readme, StringComparison.Ordinal);
        Assert.Contains($"dotnet add package EtcdConfiguration.Client --version {version}", readme, StringComparison.Ordinal);
    }

    private static async Task RunTryItAsync(string endpoint)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(ReadmeSnippets.RepositoryRoot(), "samples", "WebApp", "try-it.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ETCDCTL_ENDPOINTS"] = endpoint;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await Eventually.WithinAsync(process.WaitForExitAsync(), "try-it.sh ends");
        Assert.True(process.ExitCode == 0, $"try-it.sh failed ({process.ExitCode}): {await error}");
        Assert.Contains("SUCCESS", await output, StringComparison.Ordinal);
    }

    private static RunningApp StartApp(string endpoint)
    {
        var root = ReadmeSnippets.RepositoryRoot();
        var directory = Path.Combine(root, "samples", "WebApp");
        // Built by the tests' project reference, in the same configuration as the tests (bin/<configuration>/net10.0).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(directory, "bin", configuration, "net10.0", "WebApp.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0", "--Etcd:Endpoints", endpoint, "--Etcd:StartupTimeout", "00:00:30"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return new RunningApp(Process.Start(start)!);
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();

    /// <summary>The sample's process, its output lines, and the URL it listens on once it says so.</summary>
    private sealed class RunningApp : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _output = [];

        public RunningApp(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string? Url { get; private set; }

        public IReadOnlyList<string> Output
        {
            get
            {
                lock (_output)
                {
                    return [.. _output];
                }
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.Add(line);
            }

            if (ListeningPattern().Match(line) is { Success: true } match)
            {
                Url = match.Groups[1].Value;
            }
        }
    }
}
