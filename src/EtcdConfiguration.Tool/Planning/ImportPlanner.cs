using System.Text;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tool.Planning;

/// <summary>
/// Decides which etcd keys an import writes and deletes so that the provider reads back exactly the file's
/// configuration, and proves it before anything is written: the planned state is mapped by the provider's own code
/// (<see cref="ConfigurationView"/>) and compared with the file.
/// </summary>
/// <remarks>
/// In the key layout a value gets an etcd key of its own when that key maps back to it and the provider would read
/// the value back unchanged. Values it would read differently (null, or text beginning with <c>{</c> or <c>[</c>,
/// which the provider parses as JSON) and keys that have no etcd key of their own (an empty section, a <c>/</c>
/// inside a section) go into a small JSON object at the nearest section that has one, which the provider flattens
/// back to exactly those keys.
/// </remarks>
internal static class ImportPlanner
{
    /// <summary>The plan, or a refusal naming a key that would not read back as the file has it.</summary>
    /// <exception cref="ToolException">The file cannot be written so that it reads back unchanged.</exception>
    public static ImportPlan Plan(SettingsFile file, PrefixListing current, ImportLayout layout, bool prune, EtcdValueFormat format)
    {
        var mapper = new KeyMapper(current.Prefix);
        var desired = layout == ImportLayout.Document
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [mapper.Prefix] = DocumentText(file) }
            : KeyLayout(file, mapper, format);

        var existing = new Dictionary<string, KeyValue>(StringComparer.Ordinal);
        foreach (var kv in current.KeyValues)
        {
            if (!mapper.IsOverride(kv.KeyBytes.Span))
            {
                existing[KeyMapper.Describe(kv.KeyBytes.Span)] = kv;
            }
        }

        var writes = new List<PlannedWrite>();
        int unchanged = 0;
        foreach (var (etcdKey, value) in desired.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            if (existing.TryGetValue(etcdKey, out var kv) && kv.ValueBytes.Span.SequenceEqual(bytes))
            {
                unchanged++;
                continue;
            }

            writes.Add(new PlannedWrite(Encoding.UTF8.GetBytes(etcdKey), bytes, kv?.ModRevision ?? 0));
        }

        var deleted = new List<KeyValue>();
        var ranges = new List<(ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)>();
        if (prune)
        {
            deleted.AddRange(existing.Where(e => !desired.ContainsKey(e.Key)).Select(e => e.Value));
            if (layout == ImportLayout.Document)
            {
                // Two range deletes instead of one per key keep the document layout one transaction however many
                // keys it replaces; they skip the prefix key (the document) and the overrides.
                var prefix = mapper.PrefixBytes.ToArray();
                ranges.Add((Concat(prefix, [0]), Concat(prefix, ".overrides/"u8.ToArray())));
                ranges.Add((Concat(prefix, ".overrides0"u8.ToArray()), mapper.RangeEnd));
            }
            else
            {
                writes.AddRange(deleted.Select(kv => new PlannedWrite(kv.KeyBytes, null, kv.ModRevision)));
            }
        }

        var write = new WritePlan(current.Revision, writes, ranges);
        var after = Verify(file, current, write, deleted, prune, format);
        return new ImportPlan(write, unchanged, deleted.Count, after);
    }

    private static Dictionary<string, string> KeyLayout(SettingsFile file, KeyMapper mapper, EtcdValueFormat format)
    {
        var desired = new Dictionary<string, string>(StringComparer.Ordinal);
        var blobs = new Dictionary<string, JsonTree>(StringComparer.Ordinal);
        foreach (var (key, value) in file.Values.OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (KeyMapper.TryGetRelativeEtcdPath(key, out var path) && Encode(format, value) is { } encoded)
            {
                desired[mapper.Prefix + path] = encoded;
                continue;
            }

            if (format == EtcdValueFormat.Raw)
            {
                throw new ToolException($"Import refused, nothing written: the configuration key '{key}' cannot be stored for a source with the Raw value format: "
                    + (value is null ? "its value is null, which Raw cannot express." : "it has no etcd key of its own (an empty section or a '/' inside a section)."));
            }

            var segments = key.Split(ConfigurationPath.KeyDelimiter[0]);
            int anchor = 0;
            while (anchor < segments.Length - 1 && KeyMapper.HasOwnEtcdKey(string.Join(ConfigurationPath.KeyDelimiter, segments[..(anchor + 1)])))
            {
                anchor++;
            }

            var at = anchor == 0 ? mapper.Prefix : mapper.ToEtcdKey(string.Join(ConfigurationPath.KeyDelimiter, segments[..anchor]));
            if (!blobs.TryGetValue(at, out var tree))
            {
                blobs.Add(at, tree = new JsonTree());
            }

            try
            {
                tree.Add(segments[anchor..], value, key);
            }
            catch (InvalidOperationException ex)
            {
                throw new ToolException(ex.Message);
            }
        }

        foreach (var (etcdKey, tree) in blobs)
        {
            desired.Add(etcdKey, tree.ToJson());
        }

        return desired;
    }

    // The text of a value at its own etcd key that the provider reads back unchanged, or null when there is none
    // (then the value goes into a JSON object at a section above it).
    private static string? Encode(EtcdValueFormat format, string? value) => format switch
    {
        EtcdValueFormat.Json => System.Text.Json.JsonSerializer.Serialize(value, ChangePrinter.JsonOptions),
        EtcdValueFormat.Raw => value,
        _ => value is not null && !ReadsAsJson(value) ? value : null,
    };

    // What the provider's Auto format parses as JSON: first non-blank character, after a byte-order mark, { or [.
    private static bool ReadsAsJson(string value)
    {
        var text = value.AsSpan().TrimStart('\uFEFF').TrimStart(" \t\r\n");
        return text.Length > 0 && text[0] is '{' or '[';
    }

    private static string DocumentText(SettingsFile file) =>
        file.Text.AsSpan().TrimStart('\uFEFF').TrimStart(" \t\r\n") is ['{', ..]
            ? file.Text
            : JsonTree.From(file.Values).ToJson();

    private static ConfigurationView Verify(SettingsFile file, PrefixListing current, WritePlan plan, List<KeyValue> deleted, bool prune, EtcdValueFormat format)
    {
        var state = new Dictionary<string, (ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value)>(StringComparer.Ordinal);
        foreach (var kv in current.KeyValues)
        {
            state[KeyMapper.Describe(kv.KeyBytes.Span)] = (kv.KeyBytes, kv.ValueBytes);
        }

        foreach (var kv in deleted)
        {
            state.Remove(KeyMapper.Describe(kv.KeyBytes.Span));
        }

        foreach (var write in plan.Writes)
        {
            var key = KeyMapper.Describe(write.Key.Span);
            if (write.Value is { } value)
            {
                state[key] = (write.Key, value);
            }
        }

        var view = ConfigurationView.Create(state.Values, current.Prefix, format);
        foreach (var (key, value) in file.Values.OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (!view.Values.TryGetValue(key, out var read) || !string.Equals(read, value, StringComparison.Ordinal))
            {
                var hint = prune
                    ? "the provider would read it differently."
                    : "another etcd key under the prefix that the file does not have would hide it; run with --prune to remove such keys, or see 'etcd-config check'.";
                throw new ToolException($"Import refused, nothing written: the configuration key '{key}' would not read back as '{file.Path}' has it: {hint}");
            }
        }

        if (prune && view.Values.Keys.FirstOrDefault(k => !file.Values.ContainsKey(k)) is { } extra)
        {
            throw new ToolException($"Import refused, nothing written: the configuration key '{extra}' would remain although '{file.Path}' does not have it.");
        }

        return view;
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
