using System.Diagnostics;
using EtcdConfiguration.Tests.Shared;

namespace EtcdConfiguration.Tool.Tests;

/// <summary>
/// End to end as a user gets it: the tool packed, installed with <c>dotnet tool install --add-source</c> from a local
/// folder (offline: a nuget.config with that folder as the only source), and run as a process against real etcd.
/// </summary>
public sealed class PackedToolTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    private static readonly TimeSpan s_step = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task ThePackedToolInstallsFromALocalFolderAndImportsExportsAndChecks()
    {
        using var work = new TempFile(content: ImportExportTests.Settings);
        var feed = work.Sibling("feed");
        var tools = work.Sibling("tools");
        var project = Path.Combine(ReadmeSnippets.RepositoryRoot(), "src", "EtcdConfiguration.Tool", "EtcdConfiguration.Tool.csproj");
        await File.WriteAllTextAsync(work.Sibling("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var pack = await RunAsync("dotnet", ["pack", project, "-c", "Release", "-o", feed, "-nologo", "-v", "q"]);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var install = await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", work.Sibling("nuget.config"), "--add-source", feed, "EtcdConfiguration.Tool"]);
        Assert.True(install.ExitCode == 0, install.ToString());

        var tool = Path.Combine(tools, "etcd-config");
        var p = EtcdFixture.NewPrefix();
        string[] common = ["--endpoints", fixture.Cluster.Endpoints, "--prefix", p];
        var import = await RunAsync(tool, [.. common, "import", work.Path]);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(EtcdFixture.AddJsonFile(work.Path), fixture.AddEtcd(p));

        var exported = work.Sibling("exported.json");
        var export = await RunAsync(tool, [.. common, "export", "--output", exported]);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(EtcdFixture.AddJsonFile(work.Path), EtcdFixture.AddJsonFile(exported));

        Assert.Equal(0, (await RunAsync(tool, [.. common, "diff", work.Path])).ExitCode);
        await fixture.Client.KV.PutAsync(p + "Broken", "{");
        var check = await RunAsync(tool, [.. common, "check"]);
        Assert.Equal(1, check.ExitCode);
        var usage = await RunAsync(tool, [.. common, "rollback"]);
        Assert.Equal(2, usage.ExitCode);
    }

    private static async Task<ToolRun> RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_step);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', args)}' did not finish within {s_step.TotalMinutes} minutes.");
        }

        return new ToolRun(process.ExitCode, await output, await error);
    }
}
