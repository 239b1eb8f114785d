using System.Text.Json;
using EtcdConfiguration.Tool.Planning;

namespace EtcdConfiguration.Tool.Cli;

/// <summary>Writes configuration changes for people (one line each, coloured on a terminal) or as JSON.</summary>
internal sealed class ChangePrinter(ToolContext context)
{
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Dim = "\u001b[2m";
    private const string Reset = "\u001b[0m";

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One change as a line: <c>+ key = new</c>, <c>- key = old</c>, <c>~ key: old → new</c>, with a lead such as a revision.</summary>
    public void Write(ConfigurationChange change, string? lead = null)
    {
        var (mark, colour) = change.Kind switch
        {
            ChangeKind.Added => ("+", Green),
            ChangeKind.Removed => ("-", Red),
            _ => ("~", Yellow),
        };
        var text = change.Kind switch
        {
            ChangeKind.Added => $"{mark} {change.Key} = {Show(change.New)}",
            ChangeKind.Removed => $"{mark} {change.Key} (was {Show(change.Old)})",
            _ => $"{mark} {change.Key}: {Show(change.Old)} → {Show(change.New)}",
        };
        var prefix = lead is null ? string.Empty : Paint(lead + " ", Dim);
        context.Out.WriteLine(prefix + Paint(text, colour));
    }

    /// <summary>A change as a JSON object, with any extra properties first.</summary>
    public static Dictionary<string, object?> ToJson(ConfigurationChange change, params (string Name, object? Value)[] extra)
    {
        var json = new Dictionary<string, object?>();
        foreach (var (name, value) in extra)
        {
            json[name] = value;
        }

        json["key"] = change.Key;
        json["change"] = change.Kind.ToString().ToLowerInvariant();
        json["old"] = change.Old;
        json["new"] = change.New;
        return json;
    }

    public void WriteJson(object value) => context.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    private static string Show(string? value) => value is null ? "(null)" : JsonSerializer.Serialize(value, JsonOptions);

    private string Paint(string text, string colour) => context.Color ? colour + text + Reset : text;
}
