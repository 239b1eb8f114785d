using System.Text;
using EtcdConfiguration.Tool.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace EtcdConfiguration.Tool.Planning;

/// <summary>An appsettings-style JSON file, read by the framework's own JSON provider, so its pairs are what <c>AddJsonFile</c> gives.</summary>
internal sealed class SettingsFile
{
    private SettingsFile(string path, string text, IReadOnlyDictionary<string, string?> values)
    {
        Path = path;
        Text = text;
        Values = values;
    }

    public string Path { get; }

    /// <summary>The file's text, as written.</summary>
    public string Text { get; }

    /// <summary>The configuration <c>AddJsonFile</c> gives for the file, keys compared case-insensitively.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    /// <exception cref="ToolException">The file is missing or is not an appsettings-style JSON document.</exception>
    public static SettingsFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"Cannot read '{path}': {ex.Message}");
        }

        var provider = new Reader(new JsonStreamConfigurationSource());
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            provider.Load(stream);
        }
        catch (FormatException ex)
        {
            throw new ToolException($"'{path}' is not an appsettings-style JSON document: {ex.Message}");
        }

        return new SettingsFile(path, text, provider.Values);
    }

    // The framework's parser, so the tool's idea of the file is exactly AddJsonFile's.
    private sealed class Reader(JsonStreamConfigurationSource source) : JsonStreamConfigurationProvider(source)
    {
        public IReadOnlyDictionary<string, string?> Values => new Dictionary<string, string?>(Data, StringComparer.OrdinalIgnoreCase);
    }
}
