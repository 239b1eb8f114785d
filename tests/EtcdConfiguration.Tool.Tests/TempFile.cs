namespace EtcdConfiguration.Tool.Tests;

/// <summary>A file in a fresh temporary directory, deleted with it.</summary>
public sealed class TempFile : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("etcd-config-tests-").FullName;

    public TempFile(string name = "appsettings.json", string? content = null)
    {
        Path = System.IO.Path.Combine(_directory, name);
        if (content is not null)
        {
            File.WriteAllText(Path, content);
        }
    }

    public string Path { get; }

    public string Sibling(string name) => System.IO.Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
